import type { PandaProbe } from "../client/client.js";
import type { BaseScoreOptions, BaseTraceOptions, ScoreExtras, SpanOptions } from "../types.js";

/** Options of `startTrace()` / `withTrace()`: the trace's own options plus the client to send through. */
export interface TraceOptions extends BaseTraceOptions {
  /** The client to send through; the global client (`init()` / env) otherwise. */
  client?: PandaProbe;
}

/** Options of `startSpan()` / `withSpan()`: a span's options, plus the standalone trace made when none is current. */
export interface StartSpanOptions extends SpanOptions {
  /** Name of the standalone trace created when no trace is active (default: the span's name). */
  traceName?: string;
  /** Options for that standalone trace (user, session, tags, client, ...). */
  trace?: TraceOptions;
}

/** @deprecated Renamed `StartSpanOptions` (the same options). */
export type ActiveSpanOptions = StartSpanOptions;

/** `score(options)` arguments. */
export interface ScoreOptions extends BaseScoreOptions {
  /** The client to send through; the global client otherwise. */
  client?: PandaProbe;
}

/** The optional fourth argument of `score(traceId, name, value, options)`. */
export interface ScoreArgsOptions extends ScoreExtras {
  /** The client to send through; the global client otherwise. */
  client?: PandaProbe;
}
