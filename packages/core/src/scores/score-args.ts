import { readOptions } from "../utils/read-options.js";

const EXTRA_KEYS = ["dataType", "reason", "metadata", "client"] as const;

/**
 * The options object of a `score(...)` call in either form: `score({ traceId, name, value, ... })`, or the positional
 * `score(traceId, name, value, { dataType, reason, metadata })` of PandaProbe's own `pandaprobe` package. Never throws.
 */
export function scoreArgs(first: unknown, name: unknown, value: unknown, extras: unknown, count: number): unknown {
  if (typeof first !== "string" && count < 3) return first;
  return { ...readOptions(extras, EXTRA_KEYS, "score"), traceId: first, name, value };
}
