import { noteStandaloneSpan } from "../context/no-async-context.js";
import { splitCallback } from "../tracing/callback.js";
import { createTrace, runSpan } from "../tracing/create.js";
import { currentSpanImpl, currentTraceImpl } from "../tracing/current.js";
import { NOOP_SPAN, NOOP_TRACE } from "../tracing/noop.js";
import { runWithActive } from "../tracing/run.js";
import { isSpanImpl, type SpanImpl } from "../tracing/span-impl.js";
import { isTraceImpl, type TraceImpl } from "../tracing/trace-impl.js";
import type { Span, Trace } from "../types.js";
import { reportInternal } from "../utils/guard.js";
import { logger } from "../utils/logger.js";
import { readOption, readOptions } from "../utils/read-options.js";
import { describe } from "../utils/unreadable.js";
import { sinkOf } from "./client-of.js";
import type { StartSpanOptions } from "./options.js";

const START_KEYS = ["parent", "traceName", "trace"] as const;

/**
 * Starts a span you end yourself with `span.end()`; it is not made current (use `withSpan` for that). Its parent is
 * `options.parent`, else the current span; with no active trace, a standalone trace is created (named
 * `options.traceName ?? name`) that ends when this span ends. Never throws; should tracing fail you get a no-op span.
 * @example const span = startSpan("upload", { kind: "TOOL" }); ...; span.end({ output })
 */
export function startSpan(name: string, options?: StartSpanOptions): Span;
/** @deprecated The callback form is `withSpan(name, options, fn)` (same behaviour). */
export function startSpan<T>(name: string, options: StartSpanOptions, fn: (span: Span) => T): T;
export function startSpan<T>(name: string, options?: StartSpanOptions, fn?: (span: Span) => T): Span | T {
  if (fn !== undefined) return withSpan(name, options, fn);
  return newSpan(name, options, "startSpan");
}

/** @deprecated Renamed `startSpan(name, options)` (a span you end yourself, not made current). */
export function startInactiveSpan(name: string, options: StartSpanOptions = {}): Span {
  return newSpan(name, options, "startInactiveSpan");
}

/**
 * Runs `fn(span)` inside a new span made current (children started inside nest under it) and ends the span when
 * `fn` settles: ERROR with the message if it throws or rejects (re-thrown unchanged). Returns exactly what `fn`
 * returns; a generator settles when it is done (each step runs in the span). With no active trace, a standalone
 * trace is made for it (see `startSpan`).
 * @example const docs = await withSpan("retrieve", { kind: "RETRIEVER" }, () => search(q))
 */
export function withSpan<T>(name: string, fn: (span: Span) => T): T;
export function withSpan<T>(name: string, options: StartSpanOptions | undefined, fn: (span: Span) => T): T;
/** @deprecated Renamed `withActiveSpan(span, fn)` (runs `fn` with an existing span current). */
export function withSpan<T>(span: Span | undefined, fn: () => T): T;
export function withSpan<T>(nameOrSpan: unknown, optionsOrFn?: unknown, fn?: (span: Span) => T): T {
  if (typeof nameOrSpan !== "string" && (nameOrSpan === undefined || nameOrSpan === null || isSpanLike(nameOrSpan)))
    return withActiveSpan(nameOrSpan as Span | undefined, optionsOrFn as () => T);
  const call = splitCallback<Span, T>(optionsOrFn, fn, "withSpan");
  return runSpan(newSpan(nameOrSpan, call.options, "withSpan"), call.fn);
}

/**
 * Runs `fn` with an existing `span` current, so spans and wrapped calls started inside become its children (given a
 * trace: with that trace current and no span). `withActiveSpan(undefined, fn)` runs `fn` with no current trace or
 * span. Returns what `fn` returns.
 */
export function withActiveSpan<T>(span: Span | Trace | undefined, fn: () => T): T {
  if (typeof fn !== "function") {
    logger.warnOnce("callback:withActiveSpan", "withActiveSpan() needs a callback; nothing was run.");
    return undefined as T;
  }
  if (span === undefined || span === null) return runWithActive(undefined, fn);
  if (isSpanImpl(span)) return runWithActive({ span, trace: span.trace }, fn);
  if (isTraceImpl(span)) return runWithActive({ trace: span }, fn);
  if (span !== NOOP_SPAN && span !== NOOP_TRACE)
    logger.warnOnce(
      "field:withActiveSpan",
      `withActiveSpan() takes a span or a trace; ${describe(span)} was ignored (the callback ran as it is).`,
    );
  return fn();
}

function isSpanLike(value: unknown): boolean {
  return value === NOOP_SPAN || isSpanImpl(value);
}

/**
 * @internal A new span: under `options.parent` (a span) or the current span, in that span's trace or the current trace; with
 * neither, in a standalone trace made for it (on `options.trace.client` or the global client), which ends with it.
 */
export function newSpan(name: unknown, options: unknown, where: string): Span {
  try {
    const o = readOptions(options, START_KEYS, where);
    let parent: SpanImpl | undefined;
    if (isSpanImpl(o.parent)) parent = o.parent;
    else {
      if (o.parent !== undefined && o.parent !== NOOP_SPAN)
        logger.warnOnce("field:parent", `option parent should be a span; ${describe(o.parent)} was ignored.`);
      parent = currentSpanImpl();
    }
    const trace: TraceImpl | undefined = parent ? (parent.trace as TraceImpl) : currentTraceImpl();
    if (trace) return trace.newSpan(name, options, parent);
    const sink = sinkOf(readOption(o.trace, "client", `${where} trace`), where);
    if (!sink) return NOOP_SPAN;
    noteStandaloneSpan(name);
    const standalone = createTrace(sink, o.traceName ?? name, o.trace, where, true);
    if (!isTraceImpl(standalone)) return NOOP_SPAN;
    const span = standalone.newSpan(name, options, undefined);
    standalone.ownerSpan = span;
    return span;
  } catch (error) {
    reportInternal(where, error);
    return NOOP_SPAN;
  }
}
