import type { WaitUntil } from "../types.js";

interface RequestContext {
  get?(): { waitUntil?: unknown } | undefined;
}

/**
 * The request contexts platforms put on `globalThis`: Next.js reads `@next/request-context` (set by hosts such as
 * Netlify and OpenNext) and then `@vercel/request-context` (set by Vercel for every Node and Edge function, and read
 * by `@vercel/functions`' `waitUntil`). Next.js `after()` is backed by the same two.
 */
const REQUEST_CONTEXTS = [Symbol.for("@next/request-context"), Symbol.for("@vercel/request-context")];

/** The `waitUntil` of the current request from the platform's request context, if there is one. */
export function platformWaitUntil(): WaitUntil | undefined {
  const g = globalThis as unknown as Record<symbol, RequestContext | undefined>;
  for (const key of REQUEST_CONTEXTS) {
    const holder = g[key];
    if (!holder) continue;
    try {
      const ctx = holder.get?.();
      const w = ctx?.waitUntil;
      if (typeof w === "function") return (promise) => w.call(ctx, promise);
    } catch {
      /* a platform's context that fails to answer offers nothing */
    }
  }
  return undefined;
}
