/**
 * Text that leaves the process must be well-formed UTF-16 without NUL: the backend loses a trace with a NUL or a lone
 * surrogate in a JSON value (accepted with 202, refused by its worker) and refuses one in a name or id with a 422.
 */

const NUL = "\u0000";
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

type WellFormed = { isWellFormed?: () => boolean; toWellFormed?: () => string };
const native = typeof (String.prototype as WellFormed).isWellFormed === "function";

/** True when `s` has no lone surrogate (V8 answers at once for one-byte strings). */
export function isWellFormed(s: string): boolean {
  if (native) return (s as WellFormed).isWellFormed!();
  LONE_SURROGATE.lastIndex = 0;
  return !LONE_SURROGATE.test(s);
}

/** True when `s` can be sent as it is: no NUL, no lone surrogate. */
export function isCleanText(s: string): boolean {
  return s.indexOf(NUL) === -1 && isWellFormed(s);
}

/** `s` without NUL characters and with every lone surrogate replaced by U+FFFD (the same string when clean). */
export function cleanText(s: string): string {
  let out = s.indexOf(NUL) === -1 ? s : s.split(NUL).join("");
  if (!isWellFormed(out)) out = native ? (out as WellFormed).toWellFormed!() : out.replace(LONE_SURROGATE, "\uFFFD");
  return out;
}

/** Where to cut `s` to keep at most `max` code units without splitting a surrogate pair. */
export function cutIndex(s: string, max: number): number {
  if (max <= 0) return 0;
  if (s.length <= max) return s.length;
  const last = s.charCodeAt(max - 1);
  return last >= 0xd800 && last <= 0xdbff ? max - 1 : max;
}

/** The first `max` code units of `s` at most, never half of a surrogate pair. */
export function cutText(s: string, max: number): string {
  const at = cutIndex(s, max);
  return at === s.length ? s : s.slice(0, at);
}
