/**
 * One traced Mistral call: the kit's `Call` (root span or standalone trace, identity, content policy, stale-call
 * sweep) plus what a Mistral request adds. On the caller's path it keeps only what cannot wait (the copied request
 * parts, the caller's abort signal, times); the span's fields are built by the kit's deferred recording.
 */
import type { Span, SpanKind } from "@pandaprobe/core";
import { type Call, type CallEnd, META, nowMs, reportError } from "@pandaprobe/core/integration";
import { describeError } from "./extract/errors.js";
import { mistralUsage } from "./extract/usage.js";
import { isObject, type Loose } from "./shapes.js";

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

// Fields are `declare`d and assigned in the constructor, in one order: one hidden class, no [[Define]] per field.
export class TracedCall {
  declare readonly call: Call;
  declare readonly op: Operation;
  /** The stream's aggregate, once the SDK returned a stream. */
  declare acc: StreamAccumulator | undefined;
  declare private readonly params: Loose;
  declare private readonly captured: Captured;
  /** The caller's own abort signal (request options `signal` or `fetchOptions.signal`), if any. */
  declare private readonly signal: unknown;
  declare private firstTokenAt: number | undefined;

  constructor(call: Call, op: Operation, params: Loose, captured: Captured, signal: unknown) {
    this.call = call;
    this.op = op;
    this.acc = undefined;
    this.params = params;
    this.captured = captured;
    this.signal = signal;
    this.firstTokenAt = undefined;
  }

  /** True once the call has stopped: later events are ignored. */
  get done(): boolean {
    return this.call.ended;
  }

  /** The root span (a standalone call's trace and span are made on first use, in the deferred recording). */
  get span(): Span {
    return this.call.span;
  }

  /** Notes the first content or tool-call delta of a stream (`completion_start_time`). */
  firstToken(): void {
    if (this.firstTokenAt === undefined) this.firstTokenAt = nowMs();
  }

  /** Whether the caller aborted the request with their own signal. */
  get aborted(): boolean {
    return isObject(this.signal) && this.signal.aborted === true;
  }

  /** The call stopped: the end time is taken now; `result` (or the function building it) is recorded off the caller's path. */
  finish(result: OperationResult | (() => OperationResult)): void {
    if (!this.call.ended) this.call.end(() => this.record(result));
  }

  /** The call failed with `error`, which the caller receives unchanged. */
  fail(error: unknown): void {
    const aborted = this.aborted;
    this.finish({ error, metadata: aborted ? { [META.ABORTED]: true } : undefined });
  }

  /**
   * The stream stopped: read to its end (`completed`), broken off, cancelled or failed. A stream the caller aborted
   * with their own signal stops with an error in their loop, but is recorded as what it is: stopped on purpose.
   */
  stopStream(completed: boolean, error?: unknown): void {
    const acc = this.acc;
    if (this.call.ended || !acc) return;
    const aborted = this.aborted;
    this.finish(() => {
      const result = acc.result(completed && !aborted && error === undefined);
      if (aborted) result.metadata = { ...result.metadata, [META.STREAM_ABORTED]: true };
      else if (error !== undefined) result.error = error;
      return result;
    });
  }

  /** The kit closes a call that reported no end: with what its stream delivered so far. */
  abandoned(): void {
    const acc = this.acc;
    this.finish(acc ? () => acc.result(false) : {});
  }

  /** The deferred recording: the span's fields from the request and the result; the kit ends the span. */
  private record(pending: OperationResult | (() => OperationResult)): CallEnd {
    let result: OperationResult;
    try {
      result = (typeof pending === "function" ? pending() : pending) ?? {};
    } catch (error) {
      reportError("mistral.result", error);
      result = { metadata: { [META.RESULT_ERROR]: true } };
    }
    const op = this.op;
    const span = this.call.span;
    if (typeof result.model === "string" && result.model) span.setModel(result.model);
    const parameters = op.parameters(this.params);
    if (parameters) span.setModelParameters(parameters);
    const input = op.input(this.captured.raw);
    if (input !== undefined) span.setInput(input);
    if (this.firstTokenAt !== undefined) span.setCompletionStartTime(this.firstTokenAt);
    const metadata: Record<string, unknown> = { ...result.metadata };
    if (op.helper) metadata[META.SDK_HELPER] = op.helper;
    const usage = mistralUsage(result.usage);
    if (usage) span.setTokenUsage(usage);
    else metadata[META.USAGE_UNAVAILABLE] = true;
    if (result.error !== undefined) Object.assign(metadata, describeError(result.error));
    // The caller may keep the stream (and so this call) alive: drop the aggregate now.
    this.acc = undefined;
    const end: CallEnd = { output: result.output, error: result.error, metadata };
    if ("traceOutput" in result) end.traceOutput = result.traceOutput;
    return end;
  }
}
