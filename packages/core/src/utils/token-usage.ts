import type { TokenUsage } from "../types.js";

const KEYS = [
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
  "reasoning_tokens",
  "cache_read_tokens",
  "cache_creation_tokens",
] as const;

/**
 * @internal Keeps the known keys with finite non-negative values (0 is kept) and fills `total_tokens`. Never throws:
 * a key that cannot be read counts as not reported.
 */
export function cleanTokenUsage(usage: TokenUsage | undefined): TokenUsage | undefined {
  if (!usage || typeof usage !== "object") return undefined;
  const out: TokenUsage = {};
  let any = false;
  for (const k of KEYS) {
    let v: unknown;
    try {
      v = usage[k];
    } catch {
      continue;
    }
    if (typeof v === "number" && Number.isFinite(v) && v >= 0) {
      out[k] = Math.round(v);
      any = true;
    }
  }
  if (!any) return undefined;
  if (out.total_tokens === undefined && out.prompt_tokens !== undefined && out.completion_tokens !== undefined) {
    out.total_tokens = out.prompt_tokens + out.completion_tokens;
  }
  return out;
}
