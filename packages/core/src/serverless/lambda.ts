import { getClient } from "../client/global.js";
import type { PandaProbe } from "../client/client.js";

/** Options for `wrapLambda`. */
export interface LambdaOptions {
  /** The client to flush, default the global one. */
  client?: PandaProbe;
  /** The longest wait for delivery, default 10,000 ms; never past the invocation's remaining time less 500 ms. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Left to the function after the flush, so that waiting for delivery never makes the invocation time out. */
const MARGIN_MS = 500;

type Callback = (error?: unknown, result?: unknown) => void;

/**
 * Wraps an AWS Lambda-style handler `(event, context)` so that it flushes before the invocation ends: the runtime
 * freezes the process as soon as the handler's promise settles, and anything not sent by then is sent only if the
 * same instance is invoked again. The result (or error) is returned unchanged, after the flush. Callback-style
 * handlers `(event, context, callback)` have the flush run before their callback is called.
 * @example export const handler = wrapLambda(async (event) => withTrace("job", () => work(event)));
 */
export function wrapLambda<E, C = unknown, R = unknown>(
  handler: (event: E, context: C) => R | Promise<R>,
  options?: LambdaOptions,
): (event: E, context: C) => Promise<Awaited<R>>;
export function wrapLambda<E, C = unknown, R = unknown>(
  handler: (event: E, context: C, callback: (error?: unknown, result?: R) => void) => void,
  options?: LambdaOptions,
): (event: E, context: C, callback: (error?: unknown, result?: R) => void) => void;
export function wrapLambda(
  handler: (event: unknown, context: unknown, callback: Callback) => unknown,
  options: LambdaOptions = {},
): (event: unknown, context: unknown, callback: Callback) => unknown {
  if (typeof handler !== "function") return handler;
  const flushBefore = (context: unknown): Promise<unknown> => {
    const client = options.client ?? getClient();
    return client.flush({ timeoutMs: timeoutFor(context, options.timeoutMs) });
  };
  if (handler.length >= 3) {
    return function (this: unknown, event: unknown, context: unknown, callback: Callback) {
      const done: Callback = (error, result) => {
        void flushBefore(context).then(() => callback(error, result));
      };
      return handler.call(this, event, context, done);
    };
  }
  // Two parameters, like the handler (a runtime may tell callback-style handlers by their length).
  return async function (this: unknown, event: unknown, context: unknown) {
    try {
      return await (handler as (event: unknown, context: unknown) => unknown).call(this, event, context);
    } finally {
      await flushBefore(context);
    }
  };
}

/** @internal The flush timeout for an invocation (exported for tests). */
export function timeoutFor(context: unknown, wanted: number | undefined): number {
  const base = typeof wanted === "number" && wanted >= 0 ? wanted : DEFAULT_TIMEOUT_MS;
  let remaining: unknown;
  try {
    remaining = (context as { getRemainingTimeInMillis?: () => number } | undefined)?.getRemainingTimeInMillis?.();
  } catch {
    remaining = undefined;
  }
  return typeof remaining === "number" && Number.isFinite(remaining)
    ? Math.max(0, Math.min(base, remaining - MARGIN_MS))
    : base;
}
