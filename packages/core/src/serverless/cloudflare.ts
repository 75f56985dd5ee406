import { init, initialized } from "../client/global.js";
import type { PandaProbeOptions } from "../config/options.js";
import { guard } from "../utils/guard.js";
import type { WaitUntil } from "../types.js";
import { withWaitUntil } from "./with-wait-until.js";

/** Options for `wrapWorker`: client options, or a function of the Worker's `env` that returns them. */
export type WorkerOptions = PandaProbeOptions | ((env: Record<string, unknown>) => PandaProbeOptions);

/**
 * Wraps a Cloudflare Worker's exported handler (`{ fetch, scheduled, queue, ... }`): every call runs with the
 * request's `ctx.waitUntil` registered (see `withWaitUntil`), so each trace is delivered after the response without a
 * `flush()`. The first call sets the client up from `options`, and from the `PANDAPROBE_*` bindings in `env`, unless
 * `init()` was called already. Returns a handler of the same shape; methods are called exactly as before.
 * @example export default wrapWorker({ async fetch(request, env, ctx) { ... } });
 */
export function wrapWorker<T extends object>(handler: T, options?: WorkerOptions): T {
  if (handler === null || typeof handler !== "object") return handler;
  let setUp = false;
  const wrapped = Object.create(Object.getPrototypeOf(handler), Object.getOwnPropertyDescriptors(handler)) as Record<
    string,
    unknown
  >;
  for (const key of Object.keys(handler)) {
    const method = (handler as Record<string, unknown>)[key];
    if (typeof method !== "function") continue;
    wrapped[key] = function (this: unknown, ...args: unknown[]) {
      if (!setUp) {
        setUp = true;
        guard("wrapWorker", () => setUpClient(args[1], options));
      }
      const waitUntil = waitUntilOf(args[2]);
      const call = () => method.apply(this, args);
      return waitUntil ? withWaitUntil(waitUntil, call) : call();
    };
  }
  return wrapped as T;
}

function setUpClient(env: unknown, options: WorkerOptions | undefined): void {
  const bindings = env !== null && typeof env === "object" ? (env as Record<string, unknown>) : undefined;
  if (options === undefined && initialized()) return;
  const given = typeof options === "function" ? options(bindings ?? {}) : options;
  init({ env: bindings, ...given });
}

/** `ctx.waitUntil` bound to its `ctx` (workerd requires it), when `ctx` has one. */
function waitUntilOf(ctx: unknown): WaitUntil | undefined {
  const c = ctx as { waitUntil?: unknown } | null | undefined;
  if (!c || typeof c.waitUntil !== "function") return undefined;
  const w = c.waitUntil;
  return (promise) => w.call(c, promise);
}
