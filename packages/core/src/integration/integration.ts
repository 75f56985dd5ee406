import type { CallOptions } from "../call-options.js";
import { getClient } from "../client/global.js";
import { getCurrentContext } from "../tracing/current.js";
import type { Span, Trace } from "../types.js";
import { Call, type CallOwner, type CallSpec } from "./call.js";
import {
  type DeprecatedTimeout,
  type IntegrationOptions,
  type ResolvedIntegrationOptions,
  resolveOptions,
} from "./options.js";

/**
 * One configured integration (a wrapped client, a callback handler, a telemetry object): its options, resolved
 * once, and the calls it has open. Make one per object your integration hands the user, with `createIntegration`.
 */
export class Integration<S = unknown> implements CallOwner {
  /** The integration's name (`openai`, `langgraph`, ...): the label of its warnings and internal errors. */
  readonly name: string;
  readonly options: ResolvedIntegrationOptions;
  private readonly byKey = new Map<unknown, Call<S>>();
  private open = 0;

  /** @internal Use `createIntegration`. */
  constructor(name: string, options: IntegrationOptions | undefined, deprecated?: DeprecatedTimeout) {
    this.name = name;
    this.options = resolveOptions(name, options, deprecated);
  }

  /**
   * Starts recording a framework call: its root span goes under `spec.parent`, else the current span, else the
   * current trace; with none, the call starts a trace of its own (named `spec.name`) with the identity resolved by
   * one rule: the call's own ids > the integration's options > the `user()`/`session()` context > the framework's
   * fallback. Returns undefined when there is nothing to record (no current trace and the client is disabled):
   * then let the framework's call through untouched.
   */
  startCall(spec: CallSpec<S>): Call<S> | undefined {
    const own = spec.callOptions;
    if (own) spec = withCallOptions(spec, own);
    let parent: Span | Trace | undefined = spec.parent && !spec.parent.ended ? spec.parent : undefined;
    let context: { userId?: string; sessionId?: string } | undefined;
    if (!parent && spec.ambient !== false) {
      const current = getCurrentContext();
      context = current;
      parent = live(current.span) ?? live(current.trace);
    }
    if (!parent && !(this.options.client ?? getClient()).enabled) return undefined;
    const call = new Call<S>(this, spec, parent, context);
    this.open++;
    if (spec.key !== undefined) this.byKey.set(spec.key, call);
    return call;
  }

  /** The open call started with `key`, if any; notes activity on it (see `Call.touch`). */
  findCall(key: unknown): Call<S> | undefined {
    const call = this.byKey.get(key);
    if (call) call.activity++;
    return call;
  }

  /** How many calls have started and not ended (diagnostics and tests). */
  get openCalls(): number {
    return this.open;
  }

  /** @internal */
  callEnded(call: Call<S>): void {
    this.open--;
    if (call.key !== undefined && this.byKey.get(call.key) === call) this.byKey.delete(call.key);
  }
}

/** `spec` with the caller's per-call options applied where it says nothing itself (see `CallSpec.callOptions`). */
function withCallOptions<S>(spec: CallSpec<S>, own: CallOptions): CallSpec<S> {
  return {
    ...spec,
    name: own.name ?? spec.name,
    identity: spec.identity ?? own,
    recordInputs: spec.recordInputs ?? own.recordInputs,
    recordOutputs: spec.recordOutputs ?? own.recordOutputs,
  };
}

function live<T extends { ended: boolean }>(x: T | undefined): T | undefined {
  return x && !x.ended ? x : undefined;
}

/**
 * The integration object behind one thing your integration gives the user (`wrapOpenAI(client, options)`, `new
 * Handler(options)`): `options` are the user's `IntegrationOptions` (your options type extends it); `S` is the type of
 * your per-call state (`CallSpec.state`), if you keep one. `deprecated`
 * names an old option of yours that meant `staleCallTimeoutMs` (it still works, with a warning once).
 * @example const integration = createIntegration("anthropic", options);
 */
export function createIntegration<S = unknown>(
  name: string,
  options?: IntegrationOptions,
  deprecated?: DeprecatedTimeout,
): Integration<S> {
  return new Integration<S>(name, options, deprecated);
}
