/** What each traced endpoint (chat, responses, embeddings) contributes. */
import type { SpanKind } from "@pandaprobe/core";
import type { CallRecorder, CallResult } from "./call-recorder.js";
import type { Loose } from "./shapes.js";

/** What must be read from the request at call time (the caller may reuse or mutate its objects afterwards). */
export interface Captured {
  /** Span input, with any array the caller may change copied now (the span is built later). */
  input?: unknown;
  /** Request parts (arrays already copied) that `Endpoint.input` turns into the span input when the span ends. */
  raw?: unknown;
  /** Input of a standalone trace (default: the last user message of the span input). */
  traceInput?: unknown;
}

/** Aggregates a stream incrementally (never keeps the chunks themselves). */
export interface StreamAccumulator {
  /** Called for each item the caller receives. Must be cheap. */
  onChunk(chunk: unknown): void;
  /** Builds the result when the stream stops; `completed` is false after break/abort/error/abandon. */
  result(completed: boolean): CallResult;
}

export interface Endpoint {
  /** Default span / standalone trace name. */
  name: string;
  kind: SpanKind;
  /** Call time: only what cannot wait (cheap; no normalisation). */
  capture(params: Loose): Captured;
  /** End time: the span input built from `Captured.raw`. */
  input?(raw: unknown): unknown;
  /** End time: the safe model parameters of the request. */
  modelParameters(params: Loose): Record<string, unknown> | undefined;
  /** Result of a non-streaming call. */
  finish(call: CallRecorder, data: unknown): CallResult;
  /** Accumulator for a streaming call (`undefined` when the endpoint never streams). */
  stream?(call: CallRecorder): StreamAccumulator;
}
