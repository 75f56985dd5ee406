import type { AsyncLocalStorageClass, Span, Trace, WaitUntil } from "../types.js";
import { sharedValue } from "../utils/carrier.js";
import { createContextStore, type ContextStore } from "./async-context.js";

/**
 * What the current async context knows. Frames are immutable: every scope makes a new one,
 * so concurrent flows can never see each other's values.
 */
export interface Frame {
  /** The current trace: one tracing made (its `TraceImpl`), never a no-op. */
  readonly trace?: Trace;
  /** The current span: one tracing made (its `SpanImpl`), never a no-op. */
  readonly span?: Span;
  readonly userId?: string;
  readonly sessionId?: string;
  /** Set by `withActiveSpan(undefined, fn)`: no current trace/span, and resolvers are not consulted. */
  readonly detached?: boolean;
  /** The platform's `waitUntil` for this request (`withWaitUntil`, `wrapWorker`): deliveries are registered with it. */
  readonly waitUntil?: WaitUntil;
}

const EMPTY: Frame = Object.freeze({});
/** What deferred jobs see (see tracing/finalizer): no trace, span, user or session, and no framework resolvers. */
export const DETACHED: Frame = Object.freeze({ detached: true });

/** Set while deferred jobs run without an entered frame (see tracing/finalizer). */
export const drainFlag: () => { active: boolean } = sharedValue("drain", () => ({ active: false }));

/** The shared context store, in a holder so that one given later (`asyncLocalStorage` option) can replace it. */
const storeHolder = sharedValue<{ store: ContextStore<Frame> | undefined }>("contextHolder", () => ({
  store: undefined,
}));

/** The shared context store (created on first use, never at import time). */
export function contextStore(): ContextStore<Frame> {
  const h = storeHolder();
  return (h.store ??= createContextStore<Frame>());
}

/**
 * Uses `Als` for context from now on, where the runtime offered none (the synchronous fallback is replaced; an
 * AsyncLocalStorage already in use is kept, so frames in flight stay valid; not from inside a synchronous scope,
 * whose frame would be lost). True when context now follows `await`.
 */
export function useAsyncLocalStorage(Als: AsyncLocalStorageClass): boolean {
  const h = storeHolder();
  if (h.store?.kind === "async-local-storage") return true;
  if (h.store?.get() !== undefined) return false;
  h.store = createContextStore<Frame>(Als);
  return h.store.kind === "async-local-storage";
}

export function currentFrame(): Frame {
  return contextStore().get() ?? (drainFlag().active ? DETACHED : EMPTY);
}

/** Runs `fn` in a frame derived from the current one. */
export function runInFrame<R>(patch: Partial<Frame>, fn: () => R): R {
  const base = currentFrame();
  return contextStore().run({ ...base, ...patch }, fn);
}
