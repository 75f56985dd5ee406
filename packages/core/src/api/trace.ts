import { splitCallback } from "../tracing/callback.js";
import { createTrace, runNewTrace } from "../tracing/create.js";
import { NOOP_TRACE } from "../tracing/noop.js";
import type { Trace } from "../types.js";
import { readOption } from "../utils/read-options.js";
import { sinkOf } from "./client-of.js";
import type { TraceOptions } from "./options.js";

/**
 * Starts a trace you end yourself with `trace.end()`; it is not made current (use `withTrace` for that). Never
 * throws: options of the wrong type are converted or dropped with a warning, and should tracing fail you get a
 * no-op trace.
 * @example const t = startTrace("import-job", { userId }); ...; t.end({ output })
 */
export function startTrace(name: string, options?: TraceOptions): Trace;
/** @deprecated The callback form is `withTrace(name, options, fn)` (same behaviour). */
export function startTrace<T>(name: string, options: TraceOptions | undefined, fn: (trace: Trace) => T): T;
export function startTrace<T>(name: string, options?: TraceOptions, fn?: (trace: Trace) => T): Trace | T {
  if (fn !== undefined) return withTrace(name, options, fn);
  const sink = sinkOf(readOption(options, "client", "startTrace"), "startTrace");
  return sink ? createTrace(sink, name, options, "startTrace") : NOOP_TRACE;
}

/**
 * Runs `fn(trace)` with a new trace current (spans and wrapped calls inside nest under it) and ends it when `fn`
 * settles: status ERROR if it throws or rejects (re-thrown unchanged). Returns exactly what `fn` returns (the same
 * promise object); a generator `fn` settles when its generator is done, every step running with the trace current.
 * @example await withTrace("chat-turn", { userId }, async (trace) => { trace.setOutput(await answer()) })
 */
export function withTrace<T>(name: string, fn: (trace: Trace) => T): T;
export function withTrace<T>(name: string, options: TraceOptions | undefined, fn: (trace: Trace) => T): T;
export function withTrace<T>(name: string, optionsOrFn: unknown, fn?: (trace: Trace) => T): T {
  const call = splitCallback<Trace, T>(optionsOrFn, fn, "withTrace");
  const sink = sinkOf(readOption(call.options, "client", "withTrace"), "withTrace");
  return sink ? runNewTrace(sink, name, call.options, call.fn, "withTrace") : call.fn(NOOP_TRACE);
}
