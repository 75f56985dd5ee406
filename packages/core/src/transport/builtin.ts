/**
 * A Node built-in module found at run time, with no static `node:` import (so edge runtimes can load the SDK):
 * `process.getBuiltinModule` (Node >= 20.16, the declared minimum), or `require` in the CommonJS build.
 */
export function builtin<T>(id: string): T | undefined {
  try {
    const g = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
    const mod = g.process?.getBuiltinModule?.(id);
    if (mod) return mod as T;
  } catch {
    /* not Node */
  }
  try {
    return typeof require === "function" ? (require(id) as T) : undefined;
  } catch {
    return undefined;
  }
}

/** True on Node itself: not Bun, Deno or Cloudflare Workers (which emulate parts of `process`). */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: Record<string, string | undefined>; release?: { name?: string } } })
    .process;
  const ua = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent;
  return (
    !!p?.versions?.node &&
    !p.versions.bun &&
    !p.versions.deno &&
    p.release?.name === "node" &&
    !(typeof ua === "string" && ua.startsWith("Cloudflare-Workers"))
  );
}
