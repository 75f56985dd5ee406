/**
 * The scaffolding of a wrapped client: wrap an object once, replace a method in place, wrap the clones a client
 * makes of itself. The caller keeps the very object it passed, its shape unchanged.
 */
import { guard } from "../utils/guard.js";
import { logger } from "../utils/logger.js";
import { type AnyFn, isLoose, type Loose } from "./values.js";

/**
 * Puts `fn` in place of `target[key]` without changing the object's shape: an own method is replaced by assignment
 * (its property attributes kept), an inherited one (a prototype method) gets a hidden own property.
 */
export function setMethod(target: object, key: PropertyKey, fn: AnyFn): void {
  if (Object.hasOwn(target, key)) (target as Record<PropertyKey, unknown>)[key] = fn;
  else Object.defineProperty(target, key, { value: fn, writable: true, configurable: true, enumerable: false });
}

/**
 * Replaces the method `target[key]` with `make(original)`, once per integration (a method already patched by
 * `integration`, by this or another copy of the package, is left alone). The replacement takes the original's
 * `name` and `length`, for code and stack traces that look at them. Returns false when there is nothing to patch.
 */
export function patchMethod(
  integration: string,
  target: unknown,
  key: PropertyKey,
  make: (original: AnyFn) => AnyFn,
): boolean {
  if (!isLoose(target)) return false;
  const original = target[key as string] as unknown;
  const marker = Symbol.for(`pandaprobe.${integration}.original`);
  if (typeof original !== "function" || (original as Loose)[marker as unknown as string]) return false;
  const patched = make(original as AnyFn);
  Object.defineProperty(patched, marker, { value: original });
  Object.defineProperty(patched, "name", { value: original.name, configurable: true });
  Object.defineProperty(patched, "length", { value: original.length, configurable: true });
  setMethod(target, key, patched);
  return true;
}

/**
 * The body of every `wrapX(client, options)`: runs `wrap(client)` guarded (as `<integration>.wrap`; it never throws
 * into the caller) once per object: wrapping again logs at debug level and keeps the first options. `wrap` returns
 * `false` when `client` is not what it wraps (it is then left unmarked). Returns `client`, the same object.
 * @example export const wrapAcme = (client, options = {}) => wrapOnce("acme", "wrapAcme", client, (c) => patch(c, options));
 */
export function wrapOnce<T>(integration: string, fnName: string, client: T, wrap: (client: Loose) => unknown): T {
  guard(`${integration}.wrap`, () => {
    const c: unknown = client;
    if (!isLoose(c)) return;
    const marker = Symbol.for(`pandaprobe.${integration}.wrapped`);
    if (c[marker as unknown as string]) {
      logger.debug(`${fnName}: client already wrapped; keeping the first options`);
      return;
    }
    if (wrap(c) === false) return;
    Object.defineProperty(c, marker, { value: true, configurable: true });
  });
  return client;
}

/**
 * A client method that makes a new client with new resource objects (`withOptions()`): its result is wrapped too,
 * with `rewrap(clone)` (the same `wrapX` with the same options).
 */
export function wrapClones(
  integration: string,
  client: unknown,
  key: string,
  rewrap: (clone: unknown) => unknown,
): void {
  patchMethod(
    integration,
    client,
    key,
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        return rewrap(original.apply(this, args));
      },
  );
}
