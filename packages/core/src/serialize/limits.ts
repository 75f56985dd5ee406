import { logger } from "../utils/logger.js";
import { stripNul } from "./safe-json.js";

/** Backend limits (backend-api.md §2, §4). */
export const NAME_MAX = 512;
export const ID_MAX = 255;

/**
 * A string field cut to the backend's limit, with NUL removed. Over-long values are cut, not
 * rejected (the backend would 422 the whole trace), with a one-time warning per field.
 */
export function limitString(value: string, max: number, field: string): string {
  let s = stripNul(value);
  if (s.length > max) {
    logger.warnOnce(
      `limit:${field}`,
      `${field} longer than ${max} characters was cut to ${max} (the backend rejects longer values).`,
    );
    s = s.slice(0, max);
  }
  return s;
}

/** Like `limitString` for optional values: non-strings are stringified, undefined stays undefined. */
export function limitOptional(value: unknown, max: number, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  return limitString(typeof value === "string" ? value : String(value), max, field);
}

/** A name of 1–512 characters (an empty name becomes `unnamed`). */
export function limitName(value: unknown, field: string): string {
  const s = limitOptional(value, NAME_MAX, field);
  return s && s.length > 0 ? s : "unnamed";
}
