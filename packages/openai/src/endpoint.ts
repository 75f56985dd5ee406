/** What each traced endpoint (chat, responses, embeddings) contributes. */
import type { SpanKind } from "@pandaprobe/core";
import type { CallRecorder, CallResult, CallStart } from "./call-recorder.js";
import type { Loose } from "./shapes.js";

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
  start(params: Loose): CallStart;
  /** Result of a non-streaming call. */
  finish(call: CallRecorder, data: unknown): CallResult;
  /** Accumulator for a streaming call (`undefined` when the endpoint never streams). */
  stream?(call: CallRecorder): StreamAccumulator;
}
