/** What each traced method (`messages.create`, `messages.countTokens`, `messages.batches.create`) contributes. */
import type { SpanKind } from "@pandaprobe/core";
import type { CallRecorder, CallResult } from "./call-recorder.js";
import type { Loose } from "./shapes.js";

/** Aggregates a stream event by event (never keeps the events themselves). */
export interface StreamAccumulator {
  /** Called for each event the caller receives. Must be cheap. */
  onEvent(event: unknown): void;
  /** Builds the result when the stream stops (off the caller's path); `completed` is false after break/abort/error/abandon. */
  result(completed: boolean): CallResult;
}

export interface Endpoint {
  /** Default span / standalone trace name. */
  name: string;
  kind: SpanKind;
  /** Record the call only inside an active trace or span: alone it is not worth a trace of its own. */
  nestedOnly?: boolean;
  /** Its input and output are not messages: a standalone trace records neither (the span has them). */
  noTraceIO?: boolean;
  /** Call time: copies of what the caller may change right after the call (cheap; no normalisation). */
  capture(params: Loose): unknown;
  /** End time: the span input built from what `capture` returned. */
  input(raw: unknown): unknown;
  /** End time: the safe model parameters of the request. */
  modelParameters?(params: Loose): Record<string, unknown> | undefined;
  /** End time: request metadata (tool names). */
  metadata?(params: Loose): Record<string, unknown> | undefined;
  /** Result of a non-streaming call (end time). */
  finish(call: CallRecorder, data: unknown): CallResult;
  /** Accumulator for a streaming call (`undefined` when the endpoint never streams). */
  stream?(call: CallRecorder): StreamAccumulator;
}
