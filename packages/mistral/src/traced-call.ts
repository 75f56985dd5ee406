/**
 * One traced Mistral call: the kit's `ModelCall` (root span or standalone trace, identity, content policy, stale-call
 * sweep, result, usage, stream endings) plus what a Mistral request adds. On the caller's path it keeps only what
 * cannot wait (the copied request parts, the caller's abort signal); the span's fields are built by the kit's
 * deferred recording.
 */
import type { Span, SpanKind, TokenUsage } from "@pandaprobe/core";
import {
  type Call,
  type Loose,
  META,
  ModelCall,
  type ModelResult,
  type StreamAccumulator,
} from "@pandaprobe/core/integration";
import { describeError } from "./extract/errors.js";
import { mistralUsage } from "./extract/usage.js";

/** What must be read from the request when the call starts (the caller may change its objects right after). */
export interface Captured {
  /** Request parts, arrays copied, that `Operation.input` turns into the span input when the call is recorded. */
  raw: unknown;
  /** Input of a standalone trace (default: the last user message of the span input). */
  traceInput?: unknown;
  /** Root span metadata known at the start (the agent id). */
  metadata?: Record<string, unknown>;
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
  result(data: unknown): ModelResult;
  /** The accumulator of a streaming method's events (absent when the method does not stream). */
  stream?(call: TracedCall): StreamAccumulator;
}

// Fields are `declare`d and assigned in the constructor, in one order: one hidden class, no [[Define]] per field.
export class TracedCall extends ModelCall {
  declare readonly op: Operation;
  declare private readonly params: Loose;
  declare private readonly captured: Captured;

  constructor(call: Call, op: Operation, params: Loose, captured: Captured, signal: unknown) {
    super(call);
    this.op = op;
    this.params = params;
    this.captured = captured;
    /** The caller's own abort signal (request options `signal` or `fetchOptions.signal`), if any. */
    this.signal = signal;
  }

  protected override recordRequest(span: Span, metadata: Record<string, unknown>): void {
    const op = this.op;
    const parameters = op.parameters(this.params);
    if (parameters) span.setModelParameters(parameters);
    const input = op.input(this.captured.raw);
    if (input !== undefined) span.setInput(input);
    if (op.helper) metadata[META.SDK_HELPER] = op.helper;
  }

  protected override usage(raw: unknown): TokenUsage | undefined {
    return mistralUsage(raw);
  }

  protected override describeError(error: unknown): Record<string, unknown> {
    return describeError(error);
  }

  /**
   * A stream the caller aborted with their own signal stops with an error in their loop, but is recorded as what it
   * is: stopped on purpose.
   */
  protected override abortEndsQuietly(): boolean {
    return true;
  }
}
