/**
 * Text Postgres refuses: "\u0000" (in text and JSONB, keys included) and, in JSONB, lone UTF-16 surrogates (half of a
 * surrogate pair, e.g. an emoji cut in two). The backend's worker gives up on a trace holding either, silently.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `s` holds a lone surrogate. */
export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s);
}

/** True when any string or object key inside `value` matches `test`. */
function anyText(value: unknown, test: (s: string) => boolean): boolean {
  if (typeof value === "string") return test(value);
  if (Array.isArray(value)) return value.some((v) => anyText(v, test));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).some(([k, v]) => test(k) || anyText(v, test));
  }
  return false;
}

/** True when any string or object key inside `value` contains a NUL character. */
export function containsNul(value: unknown): boolean {
  return anyText(value, (s) => s.includes("\u0000"));
}

/** True when any string or object key inside `value` contains a lone surrogate. */
export function containsLoneSurrogate(value: unknown): boolean {
  return anyText(value, hasLoneSurrogate);
}

/** Why Postgres would refuse `value` as JSONB: "nul", "lone-surrogate", or undefined. */
export function jsonbRefusal(value: unknown): "nul" | "lone-surrogate" | undefined {
  if (containsNul(value)) return "nul";
  if (containsLoneSurrogate(value)) return "lone-surrogate";
  return undefined;
}
