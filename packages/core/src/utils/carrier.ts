/**
 * Process-wide SDK state lives on one versioned global, so two copies of the package (an ESM and
 * a CJS build loaded side by side, or two bundled versions) share the same context and client.
 */
const KEY = Symbol.for("pandaprobe.sdk.v1");

export interface Carrier {
  [key: string]: unknown;
}

export function carrier(): Carrier {
  const g = globalThis as unknown as Record<symbol, Carrier | undefined>;
  let c = g[KEY];
  if (!c) {
    c = {};
    g[KEY] = c;
  }
  return c;
}

/** Returns `carrier()[name]`, creating it with `make` the first time. */
export function shared<T>(name: string, make: () => T): T {
  const c = carrier();
  if (!(name in c)) c[name] = make();
  return c[name] as T;
}

/**
 * `shared(name, make)` as a getter that keeps the value after the first call: for values created once
 * and never replaced, read on hot paths (saves the global and key lookups on every read).
 */
export function sharedValue<T>(name: string, make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= shared(name, make));
}
