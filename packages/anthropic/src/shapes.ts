import { isRecord } from "@pandaprobe/core/integration";

/**
 * The few structural shapes of `@anthropic-ai/sdk` (0.50 to 1.x, and the Bedrock and Vertex clients built on it) that
 * this package reads. Deliberately loose: every field is optional and every read is checked.
 */

/** A loose record: values read from SDK objects are checked before use. */
// biome-ignore lint/suspicious/noExplicitAny: SDK request and response shapes differ per release
export type Loose = Record<string, any>;

/** What the SDK's methods return: its `APIPromise`, a Promise subclass whose body is parsed on first `then`. */
export interface APIPromiseLike extends Promise<unknown> {
  _thenUnwrap(transform: (data: unknown, props: unknown) => unknown): APIPromiseLike;
  parse?(): Promise<unknown>;
  asResponse?(): Promise<unknown>;
  responsePromise?: Promise<unknown>;
}

/** The SDK's `Stream` (`@anthropic-ai/sdk/streaming`): a one-shot async iterable over an iterator factory. */
export interface StreamLike {
  controller?: AbortController;
  iterator?: (...args: unknown[]) => AsyncIterator<unknown>;
  [Symbol.asyncIterator]?: () => AsyncIterator<unknown>;
}

/** A function that may carry our marker. */
// biome-ignore lint/suspicious/noExplicitAny: wraps any SDK method
export type AnyFn = (...args: any[]) => any;

/** `isRecord`, typed for the loose reads of SDK objects. */
export const isObject = (v: unknown): v is Loose => isRecord(v);
