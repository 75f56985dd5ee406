import { logger } from "../utils/logger.js";
import { cleanText, cutText } from "../utils/text.js";
import { unreadable } from "../utils/unreadable.js";

/** Backend limits (backend-api.md §2, §4). */
export const NAME_MAX = 512;
export const ID_MAX = 255;

/**
 * A string field cut to the backend's limit, clean (no NUL, lone surrogates replaced: the backend answers 422 for
 * one in a typed field). Over-long values are cut, never inside a surrogate pair, not rejected (the backend would
 * 422 the whole trace), with a one-time warning per field.
 */
export function limitString(value: string, max: number, field: string): string {
  let s = cleanText(value);
  if (s.length > max) {
    logger.warnOnce(
      `limit:${field}`,
      `${field} longer than ${max} characters was cut to ${max} (the backend rejects longer values).`,
    );
    s = cutText(s, max);
  }
  return s;
}

/** Like `limitString` for optional values: non-strings are stringified (never throwing), undefined stays undefined. */
export function limitOptional(value: unknown, max: number, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  let s: string;
  try {
    s = typeof value === "string" ? value : String(value);
  } catch (error) {
    s = unreadable(error);
  }
  return limitString(s, max, field);
}

/** A name of 1–512 characters (an empty name becomes `unnamed`). */
export function limitName(value: unknown, field: string): string {
  const s = limitOptional(value, NAME_MAX, field);
  return s && s.length > 0 ? s : "unnamed";
}
