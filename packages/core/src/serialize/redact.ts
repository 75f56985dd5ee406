import type { MaskFunction } from "../config/options.js";
import { logger } from "../utils/logger.js";

/**
 * Patterns `redactStrings()` uses by default: e-mail addresses, `Bearer` tokens, OpenAI / Anthropic / PandaProbe
 * style secret keys (`sk-…`, `sk-ant-…`, `sk_pp_…`) and AWS access key ids.
 */
export const COMMON_SECRET_PATTERNS: readonly RegExp[] = Object.freeze([
  // A match may only start where a local part starts, and the domain is matched label by label: linear time on a
  // megabyte of text without one, where the naive pattern backtracks quadratically (and would hang the drain).
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
  /\bBearer\s+[A-Za-z0-9\-._~+/]+=*/g,
  /\bsk(?:-ant)?[-_](?:pp_|proj-|live_|test_)?[A-Za-z0-9_-]{16,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
]);

/**
 * A `mask` for `init()` / `new PandaProbe()` that replaces every match of `patterns` in the strings of a value (at
 * any depth) with `replacement`. The value given is never modified: changed parts are copied.
 * @example init({ mask: redactStrings() }) // e-mails, bearer tokens, API keys
 * @example init({ mask: redactStrings([...COMMON_SECRET_PATTERNS, /\b\d{3}-\d{2}-\d{4}\b/g]) })
 */
export function redactStrings(
  patterns: readonly RegExp[] = COMMON_SECRET_PATTERNS,
  replacement = "[redacted]",
): MaskFunction {
  const global = globalPatterns(patterns);
  const text = typeof replacement === "string" ? replacement : "[redacted]";
  const redactString = (s: string): string => {
    let out = s;
    for (const p of global) {
      p.lastIndex = 0;
      out = out.replace(p, text);
    }
    return out;
  };
  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") return redactString(value);
    if (value === null || typeof value !== "object" || depth > 256) return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const v = walk(value[i], depth + 1);
        if (v !== value[i]) (copy ??= value.slice())[i] = v;
      }
      return copy ?? value;
    }
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      const v = walk(item, depth + 1);
      if (v !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = v;
    }
    return copy ?? value;
  };
  return (value) => walk(value, 0);
}

/** Each pattern as a global RegExp; anything that is not a RegExp is left out (one warning). Never throws. */
function globalPatterns(patterns: unknown): RegExp[] {
  const out: RegExp[] = [];
  let skipped = false;
  try {
    for (const p of Array.isArray(patterns) ? patterns : [patterns]) {
      if (p instanceof RegExp) out.push(p.global ? p : new RegExp(p.source, `${p.flags}g`));
      else skipped = true;
    }
  } catch {
    skipped = true;
  }
  if (skipped) logger.warnOnce("redactStrings", "redactStrings() takes RegExps; other patterns were left out.");
  return out;
}
