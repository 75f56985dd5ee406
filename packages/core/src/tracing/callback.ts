import { logger } from "../utils/logger.js";
import { describe } from "../utils/unreadable.js";

const NOTHING = () => undefined;

/**
 * The options and callback of a `(name, fn)` / `(name, options, fn)` call. A callback that is not a function is
 * replaced by one that does nothing (with one warning), so the call still returns normally.
 */
export function splitCallback<A, T>(
  optionsOrFn: unknown,
  fn: unknown,
  where: string,
): { options: unknown; fn: (arg: A) => T } {
  if (fn === undefined && typeof optionsOrFn === "function")
    return { options: undefined, fn: optionsOrFn as (arg: A) => T };
  if (typeof fn === "function") return { options: optionsOrFn, fn: fn as (arg: A) => T };
  logger.warnOnce(
    `callback:${where}`,
    `${where}() needs a callback as its last argument; got ${describe(fn)}, so nothing was run.`,
  );
  return { options: optionsOrFn, fn: NOTHING as unknown as (arg: A) => T };
}

/** Just the callback of `splitCallback`. */
export function callbackOf<A, T>(optionsOrFn: unknown, fn: unknown, where: string): (arg: A) => T {
  return splitCallback<A, T>(optionsOrFn, fn, where).fn;
}
