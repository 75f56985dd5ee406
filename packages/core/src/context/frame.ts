import type { Span, Trace } from "../types.js";
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
}

const EMPTY: Frame = Object.freeze({});
/** What deferred jobs see (see tracing/finalizer): no trace, span, user or session, and no framework resolvers. */
export const DETACHED: Frame = Object.freeze({ detached: true });

/** Set while deferred jobs run without an entered frame (see tracing/finalizer). */
export const drainFlag: () => { active: boolean } = sharedValue("drain", () => ({ active: false }));

/** The shared context store (created on first use, never at import time). */
export const contextStore: () => ContextStore<Frame> = sharedValue("contextStore", () => createContextStore<Frame>());

export function currentFrame(): Frame {
  return contextStore().get() ?? (drainFlag().active ? DETACHED : EMPTY);
}

/** Runs `fn` in a frame derived from the current one. */
export function runInFrame<R>(patch: Partial<Frame>, fn: () => R): R {
  const base = currentFrame();
  return contextStore().run({ ...base, ...patch }, fn);
}
