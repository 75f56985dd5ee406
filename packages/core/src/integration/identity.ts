import { isRecord } from "./values.js";

/**
 * What one call says about itself: the ids and tags a framework lets the caller pass per call (the AI SDK's
 * telemetry metadata or runtime context, LangChain's run metadata, `withPandaProbe()` options).
 */
export interface CallIdentity {
  userId?: string;
  sessionId?: string;
  /** The id of the trace the call starts (a UUID), so the caller can attach scores to it. */
  traceId?: string;
  tags?: string[];
  /** The call's other keys. */
  metadata?: Record<string, unknown>;
}

/**
 * Splits a per-call record into identity and metadata: `userId`, `sessionId` and `traceId` (non-empty strings; an
 * empty one names nobody and is dropped) and `tags` (strings) are identity; every other key is metadata.
 */
export function identityFromRecord(record: unknown): CallIdentity {
  const out: CallIdentity = {};
  if (!isRecord(record)) return out;
  for (const key of Object.keys(record)) {
    const value = record[key];
    switch (key) {
      case "userId":
      case "sessionId":
      case "traceId":
        if (typeof value === "string" && value) out[key] = value;
        break;
      case "tags":
        if (Array.isArray(value)) out.tags = value.filter((t): t is string => typeof t === "string");
        break;
      default:
        if (value !== undefined) (out.metadata ??= {})[key] = value;
    }
  }
  return out;
}

/** Tags of several sources in order, each once; undefined when there are none. */
export function mergeTags(...lists: Array<readonly string[] | undefined>): string[] | undefined {
  let out: string[] | undefined;
  for (const list of lists) {
    if (!list) continue;
    for (const tag of list) if (typeof tag === "string" && !out?.includes(tag)) (out ??= []).push(tag);
  }
  return out;
}

/** Records merged left to right (later keys win); undefined when all are empty. */
export function mergeMetadata(
  ...records: Array<Readonly<Record<string, unknown>> | undefined>
): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const r of records) if (r) for (const key of Object.keys(r)) (out ??= {})[key] = r[key];
  return out;
}
