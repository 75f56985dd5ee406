import type { ResolvedConfig } from "../config/options.js";
import type { SpanRecord, TraceRecord } from "../serialize/records.js";
import type { Delivery } from "../transport/delivery.js";
import type { DropReason, WaitUntil } from "../types.js";

/** An ended trace waiting for its open spans: submitted early on shutdown or exit. */
export interface WaitingTrace extends TraceRecord {
  submit(): void;
}

/** @internal What a trace reports to: its client. */
export interface TraceSink {
  /** Spans are kept and traces submitted (false when disabled; a shut-down client still records, to count drops). */
  readonly recording: boolean;
  readonly config: Readonly<ResolvedConfig>;
  /** A trace started (scores for it wait until it is delivered). */
  traceStarted(trace: TraceRecord): void;
  /** An ended trace waits for open spans (submitted early on shutdown or exit). */
  traceWaiting(trace: WaitingTrace): void;
  /** A trace is complete (ended, and its spans ended or the late-span deadline passed): serialise and queue it. */
  submitTrace(trace: TraceRecord): void;
  /**
   * The SDK gave up on a trace before it reached the queue, or on a recording that would have made one (no trace
   * then): counted under `reason`, reported once per reason.
   */
  traceDropped(trace: Pick<TraceRecord, "id" | "name"> | undefined, reason: DropReason, error?: unknown): void;
  /** A span ended after its trace was submitted. */
  submitLateSpan(trace: TraceRecord, span: SpanRecord): void;
  /** Registers a delivery with a platform's `waitUntil` (a trace ended). */
  openDelivery(waitUntil: WaitUntil): Delivery;
  /** Sends what is queued now, without waiting for the batch (a delivery is registered with `waitUntil`). */
  deliverSoon(): void;
}

/** True for a client (or anything else) that can take traces: a `client` option is checked with this. */
export function isTraceSink(value: unknown): value is TraceSink {
  try {
    const v = value as Partial<TraceSink> | null | undefined;
    return (
      typeof v === "object" &&
      v !== null &&
      typeof v.submitTrace === "function" &&
      typeof v.traceStarted === "function" &&
      typeof v.traceDropped === "function" &&
      typeof v.config === "object"
    );
  } catch {
    return false;
  }
}
