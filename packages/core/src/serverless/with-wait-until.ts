import { getClient } from "../client/global.js";
import { runInFrame } from "../context/frame.js";
import { scopesEndAtAwait } from "../context/no-async-context.js";
import { guard } from "../utils/guard.js";
import type { WaitUntil } from "../types.js";

/**
 * Runs `fn` (a request's handler) with the platform's `waitUntil` registered: every trace that ends inside it, and
 * every score and late span queued there, has its delivery registered with `waitUntil`, so the function is kept
 * alive until they are sent, with no `flush()` to await. Returns exactly what `fn` returns.
 * Where context cannot follow `await` (no AsyncLocalStorage), what is still pending when `fn` settles is registered
 * then instead.
 * @example export default { fetch: (req, env, ctx) => withWaitUntil((p) => ctx.waitUntil(p), () => handle(req)) }
 */
export function withWaitUntil<T>(waitUntil: WaitUntil, fn: () => T): T {
  if (typeof waitUntil !== "function") return fn();
  const result = runInFrame({ waitUntil }, fn);
  if (scopesEndAtAwait()) afterSettled(result, () => getClient().registerPending(waitUntil));
  return result;
}

/** Calls `then` once `result` (a promise, or any value) has settled, without touching what the caller gets. */
function afterSettled(result: unknown, then: () => void): void {
  const run = () => guard("withWaitUntil", then);
  if (result !== null && typeof result === "object" && typeof (result as { then?: unknown }).then === "function") {
    try {
      (result as PromiseLike<unknown>).then(run, run);
    } catch {
      run();
    }
  } else run();
}
