import type { PandaProbe } from "@pandaprobe/core";

/** Options shared by every PandaProbe AI SDK entry point. */
export interface PandaProbeAiOptions {
  /** Default user id of the traces (a per-call value wins, see the README). */
  userId?: string;
  /** Default session id of the traces (a per-call value wins). */
  sessionId?: string;
  /** Tags added to every trace created by this integration. */
  tags?: string[];
  /** Metadata added to every trace (and to the call's root span). */
  metadata?: Record<string, unknown>;
  /** Client to send through; the global client (`init()` / env) otherwise. */
  client?: PandaProbe;
  /** Record inputs (prompts, tool arguments); default true. A call's own `recordInputs: false` also wins. */
  recordInputs?: boolean;
  /** Record outputs (completions, tool results); default true. A call's own `recordOutputs: false` also wins. */
  recordOutputs?: boolean;
  /**
   * A call that reports no end (e.g. a stream cancelled without an abort signal) is closed
   * with an ERROR status after this many milliseconds without activity. Default 10 minutes.
   */
  staleCallTimeoutMs?: number;
}

/** Per-call identity found in the AI SDK's own options (runtime context or telemetry metadata). */
export interface CallIdentity {
  userId?: string;
  sessionId?: string;
  /** The id of the trace the call starts (a UUID), so scores can be attached to it. */
  traceId?: string;
  tags?: string[];
  metadata?: Record<string, unknown>;
}

/** Reads `userId`/`sessionId`/`traceId`/`tags` from a per-call record; the other keys become metadata. */
export function identityFrom(record: Record<string, unknown> | undefined): CallIdentity {
  const out: CallIdentity = {};
  if (!record || typeof record !== "object") return out;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const value = record[key];
    if (key === "userId" && typeof value === "string" && value) out.userId = value;
    else if (key === "sessionId" && typeof value === "string" && value) out.sessionId = value;
    else if (key === "traceId" && typeof value === "string" && value) out.traceId = value;
    else if (key === "tags" && Array.isArray(value)) out.tags = value.filter((t): t is string => typeof t === "string");
    else if (value !== undefined) (out.metadata ??= {})[key] = value;
  }
  return out;
}

/** Merges integration defaults with a call's identity (the call wins). */
export function traceOptionsFor(options: PandaProbeAiOptions, call: CallIdentity, input?: unknown) {
  const tags = call.tags?.length
    ? options.tags?.length
      ? [...options.tags, ...call.tags]
      : call.tags
    : options.tags?.length
      ? options.tags
      : undefined;
  const metadata = call.metadata
    ? options.metadata
      ? { ...options.metadata, ...call.metadata }
      : call.metadata
    : options.metadata;
  return {
    userId: call.userId ?? options.userId,
    sessionId: call.sessionId ?? options.sessionId,
    traceId: call.traceId,
    tags,
    metadata,
    client: options.client,
    input,
  };
}

export const DEFAULT_STALE_CALL_TIMEOUT_MS = 10 * 60 * 1000;
