import { contextStore, currentFrame } from "../context/frame.js";
import type { Span, Trace } from "../types.js";
import { reportInternal } from "../utils/guard.js";
import { runSettled } from "./settle.js";

/** Marks `target` ERROR with `error` and ends it (never throws). */
export function endWithError(target: { setError(e: unknown): unknown; end(): void }, error: unknown): void {
  try {
    target.setError(error);
    target.end();
  } catch (inner) {
    reportInternal("end on error", inner);
  }
}

/** Runs `fn(trace)` with `trace` current (and no current span), ending it when `fn` settles (see `runSettled`). */
export function runInTrace<T>(trace: Trace, fn: (trace: Trace) => T): T {
  return runSettled(
    { ...currentFrame(), trace, span: undefined, detached: false },
    () => fn(trace),
    () => trace.end(),
    (error) => endWithError(trace, error),
  );
}

/** Runs `fn(span)` with `span` current, ending it when `fn` settles (see `runSettled`). */
export function runInSpan<T>(span: Span, fn: (span: Span) => T): T {
  return runSettled(
    { ...currentFrame(), trace: span.trace, span, detached: false },
    () => fn(span),
    () => span.end(),
    (error) => endWithError(span, error),
  );
}

/**
 * Runs `fn` with `span` current (or, given a trace, that trace with no current span), so spans and wrapped calls
 * started inside become its children; `undefined` runs `fn` with no current trace or span.
 */
export function runWithActive<T>(target: { span?: Span; trace?: Trace } | undefined, fn: () => T): T {
  const frame = currentFrame();
  if (!target) return contextStore().run({ ...frame, trace: undefined, span: undefined, detached: true }, fn);
  return contextStore().run({ ...frame, trace: target.trace, span: target.span, detached: false }, fn);
}
