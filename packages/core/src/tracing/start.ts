import { getClient } from "../client/global.js";
import { contextStore, currentFrame, type Frame } from "../context/frame.js";
import type { ActiveSpanOptions, Span, Trace, TraceOptions } from "../types.js";
import { guard } from "../utils/guard.js";
import { resolveFromFrameworks } from "./resolvers.js";
import { runSettled } from "./settle.js";
import type { SpanImpl } from "./span-impl.js";
import { setSpanRunner, TraceImpl } from "./trace-impl.js";

/** @internal A trace bound to its client, with user/session resolved now: explicit option > context > none. */
export function createTrace(name: string, options: TraceOptions | undefined): TraceImpl {
  const client = options?.client ?? getClient();
  const frame = currentFrame();
  const userId = options?.userId ?? frame.userId;
  const sessionId = options?.sessionId ?? frame.sessionId;
  return new TraceImpl(client, name, options, userId, sessionId);
}

function endWithError(target: { setError(e: unknown): unknown; end(): void }, error: unknown): void {
  guard("end on error", () => {
    target.setError(error);
    target.end();
  });
}

/** @internal */
export function runTrace<T>(name: string, options: TraceOptions | undefined, fn: (trace: Trace) => T): T {
  const trace = guard("startTrace", () => createTrace(name, options));
  if (!trace) return fn(undefined as unknown as Trace);
  return runSettled(
    { ...currentFrame(), trace, span: undefined, detached: false },
    () => fn(trace),
    () => trace.end(),
    (error) => endWithError(trace, error),
  );
}

/**
 * Starts a trace. With `fn`: runs `fn(trace)` with the trace current and ends it when `fn` settles
 * (status ERROR if it throws; the error is re-thrown unchanged) and returns `fn`'s result. A generator `fn`
 * settles when its generator is done: every step runs with the trace current.
 * Without `fn`: returns a trace you end yourself.
 * @example await startTrace("chat-turn", { userId }, async (trace) => { trace.setOutput(await answer()) })
 */
export function startTrace(name: string, options?: TraceOptions): Trace;
export function startTrace<T>(name: string, options: TraceOptions | undefined, fn: (trace: Trace) => T): T;
export function startTrace<T>(name: string, options?: TraceOptions, fn?: (trace: Trace) => T): Trace | T {
  if (fn) return runTrace(name, options, fn);
  return createTrace(name, options);
}

/** The current span: the context's, else one a framework integration resolves. */
export function getCurrentSpan(): Span | undefined {
  const frame = currentFrame();
  return frame.detached ? undefined : spanOf(frame, resolveFromFrameworks() as SpanImpl | undefined);
}

/** The current trace, if any. */
export function getCurrentTrace(): Trace | undefined {
  const frame = currentFrame();
  if (frame.detached) return undefined;
  return frame.span ? frame.span.trace : traceOf(frame, resolveFromFrameworks());
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
  const resolved = frame.detached ? undefined : (resolveFromFrameworks() as SpanImpl | undefined);
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

function spanOf(frame: Frame, resolved: SpanImpl | undefined): Span | undefined {
  if (!frame.span) return resolved;
  // A framework step running inside the context's span (a LangGraph node under `startSpan("request")`)
  // is more specific: prefer it when it descends from the context's span.
  if (resolved && resolved !== frame.span && resolved.hasAncestor(frame.span)) return resolved;
  return frame.span;
}

function traceOf(frame: Frame, resolved: Span | undefined): Trace | undefined {
  return resolved?.trace ?? frame.trace;
}

/**
 * Starts a span that is not made current; end it with `span.end()`. Its parent is
 * `options.parent`, else the current span; with no active trace, a standalone trace is created
 * (named `options.traceName ?? name`) that ends when this span ends.
 */
export function startInactiveSpan(name: string, options: ActiveSpanOptions = {}): Span {
  return newSpan(name, options);
}

function newSpan(name: string, options: ActiveSpanOptions): SpanImpl {
  const parent = (options.parent ?? getCurrentSpan()) as SpanImpl | undefined;
  const trace = parent?.trace ?? (currentFrame().detached ? undefined : currentFrame().trace);
  if (trace) return trace.newSpan(name, { ...options, parent });
  const standalone = createTrace(options.traceName ?? name, options.trace);
  const span = standalone.newSpan(name, { ...options, parent: undefined });
  standalone.ownerSpan = span;
  return span;
}

/**
 * Runs `fn(span)` inside a new span made current (children started inside nest under it) and
 * ends the span when `fn` settles: ERROR with the message if it throws or rejects (re-thrown
 * unchanged). Returns exactly what `fn` returns; a generator settles when it is done (each step runs in the span).
 * @example const docs = await startSpan("retrieve", { kind: "RETRIEVER" }, () => search(q))
 */
export function startSpan<T>(name: string, options: ActiveSpanOptions, fn: (span: Span) => T): T {
  const span = guard("startSpan", () => newSpan(name, options ?? {}));
  if (!span) return fn(undefined as unknown as Span);
  return runSettled(
    { ...currentFrame(), trace: span.trace, span, detached: false },
    () => fn(span),
    () => span.end(),
    (error) => endWithError(span, error),
  );
}

/**
 * Runs `fn` with `span` as the current span, so spans and wrapped calls started inside become its
 * children. `withSpan(undefined, fn)` runs `fn` with no current trace or span.
 */
export function withSpan<T>(span: Span | undefined, fn: () => T): T {
  const frame = currentFrame();
  const impl = span as SpanImpl | undefined;
  return contextStore().run({ ...frame, trace: impl?.trace, span: impl, detached: impl === undefined }, fn);
}

setSpanRunner((trace, name, options, fn) => {
  const span = trace.newSpan(name, options);
  return runSettled(
    { ...currentFrame(), trace, span, detached: false },
    () => fn(span),
    () => span.end(),
    (error) => endWithError(span, error),
  );
});
