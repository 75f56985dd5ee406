/** What each traced method (generate, chat turn, embed) contributes. */
import type { SpanKind } from "@pandaprobe/core";
import type { GeminiCall } from "./call-recorder.js";
import type { CallResult } from "./extract/response.js";
import type { Loose } from "./shapes.js";

/** Aggregates a stream incrementally (never keeps the chunks themselves). */
export interface StreamAccumulator {
  /** Called for each chunk the caller receives. Must be cheap. */
  onChunk(chunk: unknown): void;
  /** Builds the result when the stream stops; `completed` is false after break/abort/error/abandon. */
  result(completed: boolean): CallResult;
}

export interface Endpoint {
  /** Default span / standalone trace name (the Python SDK's where it has one). */
  name: string;
  kind: SpanKind;
  /** Whether the method returns a stream (a promise of an async generator). */
  streams: boolean;
  /** Call time: only what cannot wait (copies of the caller's arrays); normalised by `input` when recording. */
  capture(params: Loose): unknown;
  /** Recording time: the span input (and, for a standalone call, its trace input if it is not the last user message). */
  input(captured: unknown): { input: unknown; traceInput?: unknown };
  /** Recording time: the safe model parameters and tool names of the request. */
  modelParameters(params: Loose): Record<string, unknown> | undefined;
  /** Recording time: the result of a non-streaming call. */
  finish(data: unknown): CallResult;
  /** The accumulator of a streaming call. */
  stream?(call: GeminiCall): StreamAccumulator;
}
