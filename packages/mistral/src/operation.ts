/** What each traced SDK method (`chat.complete`, `fim.stream`, `embeddings.create`, ...) contributes to its span. */
import type { SpanKind } from "@pandaprobe/core";
import type { Loose } from "./shapes.js";
import type { TracedCall } from "./traced-call.js";

/** What must be read from the request when the call starts (the caller may change its objects right after). */
export interface Captured {
  /** Request parts, arrays copied, that `Operation.input` turns into the span input when the call is recorded. */
  raw: unknown;
  /** Input of a standalone trace (default: the last user message of the span input). */
  traceInput?: unknown;
  /** Root span metadata known at the start (the agent id). */
  metadata?: Record<string, unknown>;
}

/** What an operation read from a result (or from a stream's aggregate). */
export interface OperationResult {
  output?: unknown;
  /** Output of a standalone trace (default: the last assistant message of `output`; an explicit `undefined`: none). */
  traceOutput?: unknown;
  /** The model the API reports (it replaces the requested one). */
  model?: unknown;
  /** Usage as the SDK reports it; none marks the span `usage_unavailable`. */
  usage?: unknown;
  metadata?: Record<string, unknown>;
  /** A failure to record (the span becomes ERROR). */
  error?: unknown;
}

/** Aggregates a stream's events as the caller reads them (never keeps the events themselves). */
export interface StreamAccumulator {
  /** Called for every event the caller receives. Must be cheap. */
  onEvent(event: unknown): void;
  /** The result when the stream stops; `completed` is false after a break, an abort, an error or abandonment. */
  result(completed: boolean): OperationResult;
}

export interface Operation {
  /** The span's name, and its standalone trace's. */
  name: string;
  kind: SpanKind;
  /** The SDK convenience method behind the call (`chat.parse`), recorded as such. */
  helper?: string;
  /** Call time: only what cannot wait (copies, no normalisation). */
  capture(params: Loose): Captured;
  /** Record time: the span input, from `Captured.raw`. */
  input(raw: unknown): unknown;
  /** Record time: the safe model parameters of the request. */
  parameters(params: Loose): Record<string, unknown> | undefined;
  /** Record time: the result of a call that does not stream. */
  result(data: unknown): OperationResult;
  /** The accumulator of a streaming method's events (absent when the method does not stream). */
  stream?(call: TracedCall): StreamAccumulator;
}
