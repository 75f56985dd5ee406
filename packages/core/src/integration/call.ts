import { startTrace } from "../api/trace.js";
import type { SpanImpl } from "../tracing/span-impl.js";
import { TraceImpl } from "../tracing/trace-impl.js";
import type { Span, SpanKind, SpanOptions, Trace } from "../types.js";
import { reportInternal } from "../utils/guard.js";
import { nowMs } from "../utils/time.js";
import { deferRecording } from "../api/defer.js";
import type { CallOptions } from "../call-options.js";
import { type CallIdentity, mergeMetadata, mergeTags } from "./identity.js";
import { META } from "./metadata-keys.js";
import type { ResolvedIntegrationOptions } from "./options.js";
import { type Sweepable, track, untrack, watch } from "./stale-calls.js";

/** What an integration knows when a framework call starts (see `Integration.startCall`). */
export interface CallSpec<S = unknown> {
  /** The root span's name, and the trace's when the call starts one. */
  name: string;
  kind: SpanKind;
  input?: unknown;
  model?: string;
  modelParameters?: Record<string, unknown>;
  /** Root span metadata, after the integration's and the call's own (`identity.metadata`). */
  metadata?: Record<string, unknown>;
  /** The root span's id (a UUID), e.g. a framework run id; a fresh one otherwise. */
  spanId?: string;
  /** When the call started (`nowMs()` clock); default now. */
  startTime?: number;
  /** What the call says about itself (per-call ids, tags, metadata): it wins over the integration's options. */
  identity?: CallIdentity;
  /**
   * The caller's per-call options (`withPandaProbe()`, read with `readCallOptions`): their `name` replaces `name`,
   * their ids, tags and metadata are the call's `identity`, their `recordInputs`/`recordOutputs` the call's own
   * (what `identity`, `recordInputs` and `recordOutputs` given here do not already say).
   */
  callOptions?: CallOptions;
  /**
   * The framework's own answers, used when neither the call, the integration's options nor the `user()`/`session()`
   * context give one: LangGraph's `thread_id` as the session, its run id as the trace id.
   */
  fallback?: { userId?: string; sessionId?: string; traceId?: string };
  /** Metadata of the trace the call starts (not of its root span), e.g. a thread id. */
  traceMetadata?: Record<string, unknown>;
  /** Input of the trace the call starts (default: the last user message of `input`); `undefined` records none. */
  traceInput?: unknown;
  /** The span the call nests under, when the framework says (a tool's span); default: the current span or trace. */
  parent?: Span;
  /** Read the current span, trace, user and session (default true); false when the framework calls back outside the call's async context. */
  ambient?: boolean;
  /** The call's own `recordInputs`/`recordOutputs` (AI SDK per-call telemetry): `false` wins over the integration's. */
  recordInputs?: boolean;
  recordOutputs?: boolean;
  /** A key to find the call by with `findCall` (the framework's call id or run id). */
  key?: unknown;
  /** Your own per-call state (open child spans, step counters), kept on the call as `call.state`. */
  state?: S;
  /**
   * Called once when the call is abandoned (stale, or its watched result collected), before the kit ends it: close
   * what is open under the root span (with `call.abandoned.error`), or end the call yourself with a partial result.
   */
  onAbandon?: (call: Call<S>) => void;
}

/** How a call ends (see `Call.end`). */
export interface CallEnd {
  /** The root span's output. */
  output?: unknown;
  /** The failure, if the call failed: the root span (and a trace it started) become ERROR. */
  error?: unknown;
  /** Root span metadata. */
  metadata?: Record<string, unknown>;
  /** When the call ended (`nowMs()` clock); default: when `end()` was called. */
  endTime?: number;
  /** Output of the trace the call started (default: the last assistant message of `output`); `undefined` records none. */
  traceOutput?: unknown;
  /** Metadata of the trace the call started. */
  traceMetadata?: Record<string, unknown>;
}

/** Why the kit closed a call that reported no end. */
export interface Abandoned {
  /** `"timeout"`: no activity for `staleCallTimeoutMs`; `"gc"`: its watched result was garbage-collected. */
  reason: "timeout" | "gc";
  /** The error the root span is closed with. */
  error: Error;
}

/** What the integration hands each call (not part of the kit's exports: `Integration` implements it). */
export interface CallOwner {
  readonly name: string;
  readonly options: ResolvedIntegrationOptions;
  // biome-ignore lint/suspicious/noExplicitAny: any call of the integration
  callEnded(call: Call<any>): void;
}

/**
 * One framework call: its root span (under the current span, or with a trace of its own), the identity resolved
 * when it started, its content policy, and its place in the stale-call sweep. Made by `Integration.startCall`.
 */
// Fields are `declare`d and assigned in the constructor, in one fixed order: a call is made per framework call, so
// no class-field [[Define]] per field, and one hidden class for every call.
export class Call<S = unknown> implements Sweepable {
  /** The key given to `startCall`, if any. */
  declare readonly key: unknown;
  /** The state given to `startCall` (`CallSpec.state`). */
  declare readonly state: S;
  /** When the call started (`nowMs()` clock). */
  declare readonly startTime: number;
  /** True when the call starts its own trace (no span or trace was current). */
  declare readonly standalone: boolean;
  /** Whether inputs and outputs are recorded (the integration's and the call's own setting): skip work for content that is not sent. */
  declare readonly recordInputs: boolean;
  declare readonly recordOutputs: boolean;
  /** True once `end()` was called. */
  declare ended: boolean;
  /** When `end()` was called (`nowMs()` clock): for spans closed while the end is recorded, so they end with the call. */
  declare endTime: number | undefined;
  /** Set when the kit closed the call for want of an end (see `CallSpec.onAbandon`). */
  declare abandoned: Abandoned | undefined;
  /** True while something will report back (a read or request in flight): the sweep leaves a busy call alone. */
  declare busy: boolean;
  /** @internal */ declare activity: number;
  /** @internal */ declare seenActivity: number;
  /** @internal */ declare idleSince: number;
  /** @internal */ declare pendingWatch: Sweepable["pendingWatch"];
  /** @internal */ declare gcWatched: boolean;
  /** @internal */ declare readonly staleCallTimeoutMs: number;
  declare private readonly owner: CallOwner;
  declare private readonly onAbandon: CallSpec<S>["onAbandon"];
  declare private spec: CallSpec<S> | undefined;
  declare private parent: Span | Trace | undefined;
  declare private readonly contextUserId: string | undefined;
  declare private readonly contextSessionId: string | undefined;
  declare private opened: Span | undefined;

  /** @internal */
  constructor(
    owner: CallOwner,
    spec: CallSpec<S>,
    parent: Span | Trace | undefined,
    context: { userId?: string; sessionId?: string } | undefined,
  ) {
    const options = owner.options;
    this.key = spec.key;
    this.state = spec.state as S;
    this.startTime = spec.startTime ?? nowMs();
    this.standalone = parent === undefined;
    this.recordInputs = options.recordInputs && spec.recordInputs !== false;
    this.recordOutputs = options.recordOutputs && spec.recordOutputs !== false;
    this.ended = false;
    this.endTime = undefined;
    this.abandoned = undefined;
    this.busy = false;
    this.activity = 0;
    this.seenActivity = 0;
    this.idleSince = 0;
    this.pendingWatch = undefined;
    this.gcWatched = false;
    this.staleCallTimeoutMs = options.staleCallTimeoutMs;
    this.owner = owner;
    this.onAbandon = spec.onAbandon;
    this.spec = spec;
    this.parent = parent;
    this.contextUserId = context?.userId;
    this.contextSessionId = context?.sessionId;
    this.opened = undefined;
    // Nested calls open their span now (the enclosing trace must wait for it); a standalone call's trace and span
    // are made on first use, usually off the caller's path.
    if (parent) this.opened = this.open();
    track(this);
  }

  /** The root span (for a standalone call, it and its trace are created on first use). */
  get span(): Span {
    return (this.opened ??= this.open());
  }

  /** Notes activity (a chunk read, a framework event): the stale-call sweep counts idle time from the last one. */
  touch(): void {
    this.activity++;
  }

  /** Closes the call as abandoned (`abandoned: "gc"`) if `target`, the result the caller holds, is garbage-collected before the call ends. */
  watch(target: object): void {
    if (!this.ended && target !== null && typeof target === "object") watch(this, target);
  }

  /**
   * Ends the call. Only the end time is taken on the caller's path; `result` (or the function that builds it, which
   * may set more on `call.span`) is recorded off it, with the other recordings, before any flush. A second call does nothing.
   */
  end(result?: CallEnd | (() => CallEnd)): void {
    if (this.ended) return;
    this.ended = true;
    const endTime = (this.endTime = nowMs());
    untrack(this);
    this.owner.callEnded(this);
    deferRecording(() => this.record(result, endTime), this.owner.options.client);
  }

  /** The name of the integration that started the call (the label of its internal errors: `<name>.result`). */
  get integrationName(): string {
    return this.owner.name;
  }

  /** @internal Called by the sweep: the call reported no end. */
  abandon(reason: "timeout" | "gc"): void {
    if (this.ended) return;
    const error = new Error(
      reason === "timeout"
        ? `did not end: no activity for ${this.staleCallTimeoutMs} ms (closed by the stale-call sweep, staleCallTimeoutMs)`
        : "did not end: its result was garbage-collected before it was read",
    );
    this.abandoned = { reason, error };
    const onAbandon = this.onAbandon;
    if (onAbandon) {
      try {
        onAbandon(this);
      } catch (failure) {
        reportInternal(`${this.owner.name}.abandon`, failure);
      }
    }
    this.end();
  }

  private open(): Span {
    const spec = this.spec!;
    this.spec = undefined;
    const o = this.owner.options;
    const identity = spec.identity;
    const options: SpanOptions = {
      kind: spec.kind,
      input: spec.input,
      model: spec.model,
      modelParameters: spec.modelParameters,
      metadata: mergeMetadata(o.metadata, identity?.metadata, spec.metadata),
      startTime: this.startTime,
      spanId: spec.spanId,
    };
    const parent = this.parent;
    this.parent = undefined;
    let span: Span;
    if (parent) span = parent.startSpan(spec.name, options);
    else {
      const fallback = spec.fallback;
      const trace = startTrace(spec.name, {
        client: o.client,
        traceId: identity?.traceId ?? fallback?.traceId,
        tags: mergeTags(o.tags, identity?.tags),
        metadata: mergeMetadata(o.metadata, identity?.metadata, spec.traceMetadata),
        startTime: this.startTime,
      });
      // Exactly the identity resolved for the call (the context it started in, not the one this runs in).
      trace.setUserId(identity?.userId ?? o.userId ?? this.contextUserId ?? fallback?.userId);
      trace.setSessionId(identity?.sessionId ?? o.sessionId ?? this.contextSessionId ?? fallback?.sessionId);
      if ("traceInput" in spec) trace.setInput(spec.traceInput);
      span = trace.startSpan(spec.name, options);
      if (trace instanceof TraceImpl) {
        // The trace ends with its root span and takes its input/output from it.
        trace.ownerSpan = span as SpanImpl;
        if (!this.recordInputs) trace.recordInputs = false;
        if (!this.recordOutputs) trace.recordOutputs = false;
      }
    }
    const impl = span as Partial<SpanImpl>;
    if (!this.recordInputs && impl.recordInputs) impl.recordInputs = false;
    if (!this.recordOutputs && impl.recordOutputs) impl.recordOutputs = false;
    return span;
  }

  /** The deferred end: the result, the abandon marks, the trace's own fields, then the root span's end. */
  private record(result: CallEnd | (() => CallEnd) | undefined, endTime: number): void {
    let r: CallEnd;
    try {
      r = (typeof result === "function" ? result() : result) ?? {};
    } catch (error) {
      reportInternal(`${this.owner.name}.result`, error);
      r = { metadata: { [META.RESULT_ERROR]: true } };
    }
    const span = this.span;
    const abandoned = this.abandoned;
    const error = r.error ?? abandoned?.error;
    const metadata = abandoned ? { ...r.metadata, [META.ABANDONED]: abandoned.reason } : r.metadata;
    if (metadata) span.setMetadata(metadata);
    if (this.standalone) {
      const trace = span.trace;
      if (r.traceMetadata) trace.setMetadata(r.traceMetadata);
      if ("traceOutput" in r) trace.setOutput(r.traceOutput);
      if (error !== undefined) trace.setError(error);
    }
    span.end({ output: r.output, error, endTime: r.endTime ?? endTime });
  }
}
