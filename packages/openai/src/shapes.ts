import { isRecord } from "@pandaprobe/core/integration";

/**
 * The few structural shapes of the `openai` package (v4 to v7) this package reads.
 * Deliberately loose: every field is optional and every read is guarded.
 */

/** A loose record: values read from OpenAI objects are checked before use. */
// biome-ignore lint/suspicious/noExplicitAny: SDK response shapes differ per openai major
export type Loose = Record<string, any>;

/** What `create()` returns in every major: a Promise subclass with these helpers. */
export interface APIPromiseLike extends Promise<unknown> {
  _thenUnwrap(transform: (data: unknown, props: unknown) => unknown): APIPromiseLike;
  parse?(): Promise<unknown>;
  asResponse?(): Promise<unknown>;
  responsePromise?: Promise<unknown>;
}

/** The `Stream` class instance of every major (`openai/streaming`). */
export interface StreamLike {
  controller?: AbortController;
  iterator?: (...args: unknown[]) => AsyncIterator<unknown>;
  [Symbol.asyncIterator]?: () => AsyncIterator<unknown>;
}

/** A function that may carry our marker. */
// biome-ignore lint/suspicious/noExplicitAny: wraps any SDK method
export type AnyFn = (...args: any[]) => any;

/** `isRecord`, typed for the loose reads of OpenAI objects. */
export const isObject = (v: unknown): v is Loose => isRecord(v);
