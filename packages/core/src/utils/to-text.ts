import { logger } from "./logger.js";
import { describe } from "./unreadable.js";

/**
 * A string field (user id, session id, environment, release, model): strings are kept; numbers, bigints and booleans
 * are converted; anything else is dropped (undefined). One warning per field.
 */
export function toText(value: unknown, field: string): string | undefined {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    logger.warnOnce(`field:${field}`, `${field} should be a string; ${describe(value)} was converted to one.`);
    return String(value);
  }
  logger.warnOnce(`field:${field}`, `${field} should be a string; ${describe(value)} was ignored.`);
  return undefined;
}
