import type { Cost, SpanKind, SpanStatus, TokenUsage, TraceStatus } from "../types.js";

/** What the serialiser reads from a span (tracing's `SpanImpl` is one). */
export interface SpanRecord {
  readonly id: string;
  readonly parentId: string | undefined;
  readonly name: string;
  readonly kind: SpanKind;
  readonly status: SpanStatus;
  readonly input: unknown;
  readonly output: unknown;
  readonly model: string | undefined;
  readonly modelParameters: Record<string, unknown> | undefined;
  readonly tokenUsage: TokenUsage | undefined;
  readonly cost: Cost | undefined;
  readonly metadata: Record<string, unknown> | undefined;
  readonly error: string | undefined;
  readonly completionStartMs: number | undefined;
  readonly startMs: number;
  readonly endMs: number | undefined;
  /** The wire form as JSON text, once captured. */
  readonly json: string | undefined;
  /** Whether input and output are sent (the integration kit's `recordInputs`/`recordOutputs`). */
  readonly recordInputs: boolean;
  readonly recordOutputs: boolean;
}

/** What the serialiser reads from a trace (tracing's `TraceImpl` is one). */
export interface TraceRecord {
  readonly id: string;
  readonly name: string;
  readonly status: TraceStatus;
  readonly input: unknown;
  readonly output: unknown;
  readonly metadata: Record<string, unknown> | undefined;
  readonly tags: readonly string[] | undefined;
  readonly userId: string | undefined;
  readonly sessionId: string | undefined;
  readonly environment: string | undefined;
  readonly release: string | undefined;
  readonly startMs: number;
  readonly endMs: number | undefined;
  readonly spans: readonly SpanRecord[];
  /** Whether input and output are sent (the integration kit's `recordInputs`/`recordOutputs`). */
  readonly recordInputs: boolean;
  readonly recordOutputs: boolean;
}
