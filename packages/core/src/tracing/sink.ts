import type { ResolvedConfig } from "../config/options.js";
import type { DropReason } from "../types.js";
import type { SpanImpl } from "./span-impl.js";
import type { TraceImpl } from "./trace-impl.js";

/** @internal What a trace reports to: its client. */
export interface TraceSink {
  /** Spans are kept and traces submitted (false when disabled; a shut-down client still records, to count drops). */
  readonly recording: boolean;
  readonly config: ResolvedConfig;
  /** A trace started (scores for it wait until it is delivered). */
  traceStarted(trace: TraceImpl): void;
  /** An ended trace waits for open spans (submitted early on shutdown or exit). */
  traceWaiting(trace: TraceImpl): void;
  /** A trace is complete (ended, and its spans ended or the late-span deadline passed). */
  submitTrace(trace: TraceImpl): void;
  /** The SDK gave up on a trace before it reached the queue (counted under `reason`, reported once per reason). */
  traceDropped(trace: TraceImpl, reason: DropReason, error?: unknown): void;
  /** A span ended after its trace was submitted. */
  submitLateSpan(trace: TraceImpl, span: SpanImpl): void;
}
