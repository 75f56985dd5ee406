import { isRecord } from "@pandaprobe/core/integration";

/**
 * The few structural shapes of `@google/genai` (1.x to 3.x) this package reads.
 * Deliberately loose: every field is optional and every read is guarded.
 */

/** A loose record: values read from Google Gen AI objects are checked before use. */
// biome-ignore lint/suspicious/noExplicitAny: SDK request and response shapes differ per major
export type Loose = Record<string, any>;

/** A function that may carry our marker. */
// biome-ignore lint/suspicious/noExplicitAny: wraps any SDK method
export type AnyFn = (...args: any[]) => any;

/** `isRecord`, typed for the loose reads of Google Gen AI objects. */
export const isObject = (v: unknown): v is Loose => isRecord(v);

/**
 * Puts `fn` in place of `target[key]` without changing the object's shape: an own method is replaced by assignment
 * (its attributes kept), an inherited one (a prototype method, in some releases) gets a hidden own property.
 */
export function setMethod(target: Loose, key: string, fn: AnyFn): void {
  if (Object.hasOwn(target, key)) target[key] = fn;
  else Object.defineProperty(target, key, { value: fn, writable: true, configurable: true, enumerable: false });
}
