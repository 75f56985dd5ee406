import { currentFrame } from "../context/frame.js";
import { noteTraceWithoutIdentity } from "../context/no-async-context.js";
import { platformWaitUntil } from "../context/wait-until.js";
import type { Span, Trace } from "../types.js";
import { reportInternal } from "../utils/guard.js";
import { NOOP_SPAN, NOOP_TRACE } from "./noop.js";
import { runInSpan, runInTrace } from "./run.js";
import type { TraceSink } from "./sink.js";
import { TraceImpl } from "./trace-impl.js";

/**
 * @internal A trace bound to `sink`, with user/session resolved now: explicit option > context > none. Never throws:
 * should the SDK fail to make one (a bug), the failure is reported and counted (`recording_failed`) and the no-op
 * trace returned.
 */
export function createTrace(
  sink: TraceSink,
  name: unknown,
  options: unknown,
  where: string,
  forSpan = false,
): TraceImpl | Trace {
  try {
    const frame = currentFrame();
    const trace = new TraceImpl(sink, name, options, frame.userId, frame.sessionId, where);
    // A span's own trace: a lost context is said for the span (noteStandaloneSpan).
    if (!forSpan && trace.userId === undefined && trace.sessionId === undefined) noteTraceWithoutIdentity(trace.name);
    // Taken now, while the request's context is current: the trace may end where it no longer is.
    if (sink.recording) trace.waitUntil = frame.waitUntil ?? sink.config.waitUntil ?? platformWaitUntil();
    return trace;
  } catch (error) {
    reportInternal(where, error);
    try {
      sink.traceDropped(undefined, "recording_failed", error);
    } catch {
      /* counting must never throw into user code */
    }
    return NOOP_TRACE;
  }
}

/** @internal Runs `fn(trace)` with a new trace current, ended when `fn` settles (ERROR if it throws; re-thrown). */
export function runNewTrace<T>(
  sink: TraceSink,
  name: unknown,
  options: unknown,
  fn: (trace: Trace) => T,
  where: string,
): T {
  const trace = createTrace(sink, name, options, where);
  return trace === NOOP_TRACE ? fn(trace) : runInTrace(trace, fn);
}

/** @internal Runs `fn(span)` with `span` current unless it is the no-op span (then `fn` just runs). */
export function runSpan<T>(span: Span, fn: (span: Span) => T): T {
  return span === NOOP_SPAN ? fn(span) : runInSpan(span, fn);
}
