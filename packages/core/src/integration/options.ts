import type { PandaProbe } from "../client/client.js";
import { logger } from "../utils/logger.js";

/**
 * The options every integration accepts, with one meaning everywhere. An integration's own options type extends
 * this one (`interface WrapOpenAIOptions extends IntegrationOptions`) and hands the object to `createIntegration`.
 */
export interface IntegrationOptions {
  /** User id of the traces this integration starts; a call's own id wins, the `user()`/`setUser()` context comes after. */
  userId?: string;
  /** Session id of the traces this integration starts; a call's own id wins, the `session()` context comes after. */
  sessionId?: string;
  /** Tags added to the traces this integration starts (a call inside an enclosing trace leaves that trace's tags alone). */
  tags?: string[];
  /** Metadata added to every call's root span and to the traces this integration starts (a call's own keys win). */
  metadata?: Record<string, unknown>;
  /** The client to send through; the global client (`init()` / environment) otherwise. */
  client?: PandaProbe;
  /** Record inputs (prompts, messages, tool arguments). Default true; a call's own `false` also wins. */
  recordInputs?: boolean;
  /** Record outputs (completions, tool results). Default true; a call's own `false` also wins. */
  recordOutputs?: boolean;
  /**
   * A call that shows no activity for this long without reporting its end (a stream never read or cancelled
   * without an abort signal, a run the framework never ended) is closed as abandoned: status ERROR, metadata
   * `abandoned: "timeout"`, and its trace sent. Default 600000 (10 minutes); `0` turns the sweep off.
   */
  staleCallTimeoutMs?: number;
}

/** `IntegrationOptions.staleCallTimeoutMs` when not given. */
export const DEFAULT_STALE_CALL_TIMEOUT_MS = 10 * 60_000;

/** The options as the kit applies them (copied: later changes to the caller's object do not count). */
export interface ResolvedIntegrationOptions {
  readonly userId: string | undefined;
  readonly sessionId: string | undefined;
  readonly tags: readonly string[] | undefined;
  readonly metadata: Readonly<Record<string, unknown>> | undefined;
  readonly client: PandaProbe | undefined;
  readonly recordInputs: boolean;
  readonly recordOutputs: boolean;
  /** 0 when the sweep is off. */
  readonly staleCallTimeoutMs: number;
}

/** A deprecated option that means `staleCallTimeoutMs` (`abandonedStreamTimeoutMs`, `runTtlMs`). */
export interface DeprecatedTimeout {
  name: string;
  value: unknown;
}

export function resolveOptions(
  integration: string,
  options: IntegrationOptions | undefined,
  deprecated?: DeprecatedTimeout,
): ResolvedIntegrationOptions {
  const o = options ?? {};
  const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);
  return Object.freeze({
    userId: str(o.userId),
    sessionId: str(o.sessionId),
    tags: Array.isArray(o.tags) ? Object.freeze(o.tags.filter((t) => typeof t === "string")) : undefined,
    metadata: o.metadata && typeof o.metadata === "object" ? Object.freeze({ ...o.metadata }) : undefined,
    client: o.client,
    recordInputs: o.recordInputs !== false,
    recordOutputs: o.recordOutputs !== false,
    staleCallTimeoutMs: staleCallTimeout(integration, o.staleCallTimeoutMs, deprecated),
  });
}

function staleCallTimeout(integration: string, value: unknown, deprecated: DeprecatedTimeout | undefined): number {
  if (value === undefined && deprecated && deprecated.value !== undefined) {
    logger.warnOnce(
      `deprecated:${integration}:${deprecated.name}`,
      `${integration}: the ${deprecated.name} option is deprecated; use staleCallTimeoutMs (the same option for every integration).`,
    );
    value = deprecated.value;
  }
  if (value === undefined) return DEFAULT_STALE_CALL_TIMEOUT_MS;
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  logger.warnOnce(
    `option:${integration}:staleCallTimeoutMs`,
    `${integration}: staleCallTimeoutMs must be a number of milliseconds >= 0 (0 turns the sweep off); using ${DEFAULT_STALE_CALL_TIMEOUT_MS}.`,
  );
  return DEFAULT_STALE_CALL_TIMEOUT_MS;
}
