/** What an operation extracts from a result or a stream's aggregate, and how streams are aggregated. */
import type { TokenUsage } from "@pandaprobe/core";

/** What an operation extracted (recorded by `BedrockCall`, off the caller's path). */
export interface CallResult {
  /** Span output. */
  output?: unknown;
  /** Output of a standalone trace (default: the last assistant message of `output`; an explicit `undefined` sets none). */
  traceOutput?: unknown;
  /** Token usage in core's shape; undefined marks the span `usage_unavailable`. */
  usage?: TokenUsage;
  metadata?: Record<string, unknown>;
  /** An error to record (the span becomes ERROR). */
  error?: unknown;
}

/** Aggregates a stream as the caller reads it (never keeps the events themselves). */
export interface StreamAccumulator {
  /** One event the caller received; true when it carried content (the first one is the completion start). Cheap. */
  add(event: unknown): boolean;
  /** The result when the stream stopped; `completed` is false after break, abort, error or abandon. */
  result(completed: boolean): CallResult;
}
