import type { AsyncLocalStorageClass } from "../types.js";

/**
 * Finds AsyncLocalStorage without a static `node:` import, so edge runtimes can load the SDK:
 * `globalThis.AsyncLocalStorage` (Vercel Edge, Cloudflare with nodejs_compat, Deno),
 * `process.getBuiltinModule` (Node >= 20.16), or `require` in CommonJS. Without any of them
 * a synchronous fallback is used: scopes apply to code that runs synchronously inside them,
 * and do not follow `await` (documented in the README).
 */
export interface ContextStore<T> {
  readonly kind: "async-local-storage" | "sync-fallback";
  get(): T | undefined;
  run<R>(value: T, fn: () => R): R;
  /**
   * Sets the value for the rest of the current async context (imperative `setUser`). Undefined where the runtime
   * cannot scope it to one async context: its AsyncLocalStorage has no `enterWith` (Cloudflare Workers), or there
   * is no AsyncLocalStorage at all (a value set here would leak into every concurrent request).
   */
  readonly enterWith: ((value: T) => void) | undefined;
}

interface AlsLike<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
  enterWith?(store: T): void;
}
type AlsCtor = new <T>() => AlsLike<T>;

function findAsyncLocalStorage(): AlsCtor | undefined {
  const g = globalThis as { AsyncLocalStorage?: AlsCtor; process?: { getBuiltinModule?: (id: string) => unknown } };
  if (typeof g.AsyncLocalStorage === "function") return g.AsyncLocalStorage;
  try {
    const mod = g.process?.getBuiltinModule?.("node:async_hooks") as { AsyncLocalStorage?: AlsCtor } | undefined;
    if (mod?.AsyncLocalStorage) return mod.AsyncLocalStorage;
  } catch {
    /* not Node */
  }
  try {
    // CommonJS build on Node < 20.16. Never reached from ESM (`require` is undefined there).
    const req = typeof require === "function" ? require : undefined;
    const mod = req?.("node:async_hooks") as { AsyncLocalStorage?: AlsCtor } | undefined;
    if (mod?.AsyncLocalStorage) return mod.AsyncLocalStorage;
  } catch {
    /* not available */
  }
  return undefined;
}

/** Creates the best available context store (`Als` when given: see `AsyncLocalStorageClass`). */
export function createContextStore<T>(given?: AsyncLocalStorageClass): ContextStore<T> {
  const Als = (given as AlsCtor | undefined) ?? findAsyncLocalStorage();
  if (Als) {
    const als = new Als<T>();
    return {
      kind: "async-local-storage",
      get: () => als.getStore(),
      run: (value, fn) => als.run(value, fn),
      enterWith: typeof als.enterWith === "function" ? (value) => als.enterWith!(value) : undefined,
    };
  }
  return createSyncStore<T>();
}

/** The fallback: a current value swapped in and out around synchronous calls (no `enterWith`: it would be process-wide). */
export function createSyncStore<T>(): ContextStore<T> {
  let current: T | undefined;
  return {
    kind: "sync-fallback",
    get: () => current,
    run(value, fn) {
      const prev = current;
      current = value;
      try {
        return fn();
      } finally {
        current = prev;
      }
    },
    enterWith: undefined,
  };
}
