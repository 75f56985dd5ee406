import { logger } from "./logger.js";
import { describe, unreadableReason } from "./unreadable.js";

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * The defined values of `keys` in an options object, copied into a plain object, reading each key once without ever
 * throwing: a key that cannot be read (a throwing getter, a Proxy, a revoked Proxy) is left out with one warning
 * naming it; anything that is not an object counts as no options (with a warning). `where` names the call.
 */
export function readOptions<K extends string>(
  raw: unknown,
  keys: readonly K[],
  where: string,
): Partial<Record<K, unknown>> {
  if (raw === undefined || raw === null) return EMPTY as Partial<Record<K, unknown>>;
  if (typeof raw !== "object" && typeof raw !== "function") {
    logger.warnOnce(`options:${where}`, `the options of ${where}() should be an object; ${describe(raw)} was ignored.`);
    return EMPTY as Partial<Record<K, unknown>>;
  }
  const out: Partial<Record<K, unknown>> = {};
  for (const key of keys) {
    try {
      const value = (raw as Record<string, unknown>)[key];
      if (value !== undefined) out[key] = value;
    } catch (error) {
      logger.warnOnce(
        `option:${where}.${key}`,
        `option ${key} of ${where}() could not be read (${unreadableReason(error)}) and was ignored.`,
      );
    }
  }
  return out;
}

/** One key of an options object, read without throwing (undefined, with a warning, when it cannot be read). */
export function readOption(raw: unknown, key: string, where: string): unknown {
  if (raw === undefined || raw === null || (typeof raw !== "object" && typeof raw !== "function")) return undefined;
  try {
    return (raw as Record<string, unknown>)[key];
  } catch (error) {
    logger.warnOnce(
      `option:${where}.${key}`,
      `option ${key} of ${where}() could not be read (${unreadableReason(error)}) and was ignored.`,
    );
    return undefined;
  }
}

/**
 * A plain copy of the own enumerable values of an options object, read without throwing (an unreadable key is left
 * out with a warning; anything that is not an object gives `{}`, with a warning).
 */
export function ownValues<T extends object>(raw: unknown, where: string): T {
  if (raw === undefined || raw === null) return {} as T;
  if (typeof raw !== "object") {
    logger.warnOnce(`options:${where}`, `the options of ${where}() should be an object; ${describe(raw)} was ignored.`);
    return {} as T;
  }
  let keys: string[];
  try {
    keys = Object.keys(raw);
  } catch (error) {
    logger.warnOnce(
      `options:${where}`,
      `the options of ${where}() could not be read (${unreadableReason(error)}) and were ignored.`,
    );
    return {} as T;
  }
  return readOptions(raw, keys, where) as T;
}
