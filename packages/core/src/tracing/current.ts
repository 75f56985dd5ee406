import { currentFrame, type Frame } from "../context/frame.js";
import type { Span, Trace } from "../types.js";
import { resolveFromFrameworks } from "./resolvers.js";
import type { SpanImpl } from "./span-impl.js";
import type { TraceImpl } from "./trace-impl.js";

/** The current span: the context's, else one a framework integration resolves. */
export function getCurrentSpan(): Span | undefined {
  return currentSpanImpl();
}

/** @internal `getCurrentSpan()` as the implementation (what new spans nest under). */
export function currentSpanImpl(): SpanImpl | undefined {
  const frame = currentFrame();
  return frame.detached ? undefined : spanOf(frame, resolveFromFrameworks());
}

/** The current trace, if any. */
export function getCurrentTrace(): Trace | undefined {
  return currentTraceImpl();
}

/** @internal `getCurrentTrace()` as the implementation. */
export function currentTraceImpl(): TraceImpl | undefined {
  const frame = currentFrame();
  if (frame.detached) return undefined;
  return (frame.span ? frame.span.trace : traceOf(frame, resolveFromFrameworks())) as TraceImpl | undefined;
}

/** The current span, trace, user and session (as the four `getCurrent*` functions give them), read at once. */
export interface CurrentContext {
  readonly span: Span | undefined;
  readonly trace: Trace | undefined;
  readonly userId: string | undefined;
  readonly sessionId: string | undefined;
}

/**
 * Everything an integration notes when a call starts, with one context read (cheaper than the four
 * `getCurrent*` calls on a hot path).
 */
export function getCurrentContext(): CurrentContext {
  const frame = currentFrame();
  const resolved = frame.detached ? undefined : resolveFromFrameworks();
  // The common case outside any scope: one shared object, no allocation.
  if (!resolved && !frame.span && !frame.trace && frame.userId === undefined && frame.sessionId === undefined)
    return NO_CONTEXT;
  if (frame.detached) return { span: undefined, trace: undefined, userId: frame.userId, sessionId: frame.sessionId };
  const span = spanOf(frame, resolved);
  return {
    span,
    trace: span ? span.trace : traceOf(frame, resolved),
    userId: frame.userId,
    sessionId: frame.sessionId,
  };
}

const NO_CONTEXT: CurrentContext = Object.freeze({
  span: undefined,
  trace: undefined,
  userId: undefined,
  sessionId: undefined,
});

function spanOf(frame: Frame, resolved: SpanImpl | undefined): SpanImpl | undefined {
  const own = frame.span as SpanImpl | undefined;
  if (!own) return resolved;
  // A framework step running inside the context's span (a LangGraph node under `withSpan("request")`)
  // is more specific: prefer it when it descends from the context's span.
  if (resolved && resolved !== own && resolved.hasAncestor(own)) return resolved;
  return own;
}

function traceOf(frame: Frame, resolved: Span | undefined): Trace | undefined {
  return resolved?.trace ?? frame.trace;
}
