/**
 * One call of a provider SDK's model method (a chat completion, an embedding, a streamed message), on top of the
 * kit's `Call`: what a wrapped provider client records for every call, the same way for every provider. On the
 * caller's path it keeps only what cannot wait (the time of the first token, the stream's accumulator); the span's
 * fields are set by the deferred recording (`finish`), which `flush()` drains first. A wrapper extends it with what
 * its SDK adds (the request's input and parameters, request metadata, its errors' details, its usage's shape).
 */
import type { Span, TokenUsage } from "../types.js";
import { reportInternal } from "../utils/guard.js";
import { nowMs } from "../utils/time.js";
import type { Call, CallEnd, CallSpec } from "./call.js";
import type { Integration } from "./integration.js";
import { META } from "./metadata-keys.js";
import { normalizeTokenUsage } from "./usage.js";

/** What a wrapper read from a model call's result, or from its stream's aggregate. */
export interface ModelResult {
  /** The span's output. */
  output?: unknown;
  /** Output of a standalone trace (default: the last assistant message of `output`; an explicit `undefined`: none). */
  traceOutput?: unknown;
  /** The model the provider reports (it replaces the requested one). */
  model?: unknown;
  /** Usage as the provider reports it (see `ModelCall.usage`); none marks the span `usage_unavailable`. */
  usage?: unknown;
  metadata?: Record<string, unknown>;
  /** A failure to record (the span becomes ERROR). */
  error?: unknown;
  /** When the call ended (`nowMs()` clock), if not when it was finished. */
  endTime?: number;
}

/** Aggregates a stream as the caller reads it (never keeps the chunks themselves). */
export interface StreamAccumulator {
  /** One chunk (event) the caller received; true when it carried content (the first one is `completion_start_time`). Cheap. */
  add(chunk: unknown): boolean;
  /** The result when the stream stopped (built off the caller's path); `completed` is false after a break, an abort, an error or abandonment. */
  result(completed: boolean): ModelResult;
}

// Fields are `declare`d and assigned in the constructor, in one fixed order (subclasses' after these): no class-field
// [[Define]] per field on this per-call object, and one hidden class per wrapper.
export class ModelCall {
  declare readonly call: Call;
  /** The stream's accumulator, once the SDK returned a stream that is being observed. */
  declare acc: StreamAccumulator | undefined;
  /**
   * The caller's abort signal, where the wrapper can see it (request options, the stream's controller): a call or a
   * stream stopped by it is recorded as aborted (`aborted`, `stream_aborted`).
   */
  declare signal: unknown;
  declare private firstTokenTime: number | undefined;

  constructor(call: Call) {
    this.call = call;
    this.acc = undefined;
    this.signal = undefined;
    this.firstTokenTime = undefined;
  }

  /** True once the call has stopped: later events are ignored. */
  get done(): boolean {
    return this.call.ended;
  }

  /** The root span (a standalone call's trace and span are made on first use, usually in the deferred recording). */
  get span(): Span {
    return this.call.span;
  }

  /** Whether the caller aborted the call with their own signal. */
  get aborted(): boolean {
    const signal = this.signal;
    return typeof signal === "object" && signal !== null && (signal as { aborted?: unknown }).aborted === true;
  }

  /** Notes the first content of a stream (`completion_start_time`); later calls do nothing. */
  firstToken(): void {
    if (this.firstTokenTime === undefined) this.firstTokenTime = nowMs();
  }

  /**
   * The call stopped: the kit notes the end time and stops sweeping it now; `result` (or the function that builds
   * it, run off the caller's path) is recorded with the other recordings. Later calls do nothing.
   */
  finish(result: ModelResult | (() => ModelResult)): void {
    if (!this.call.ended) this.call.end(() => this.record(result));
  }

  /** The call failed with `error`, which the caller receives unchanged. */
  fail(error: unknown): void {
    this.finish({ error, metadata: this.aborted ? { [META.ABORTED]: true } : undefined });
  }

  /**
   * The stream stopped: read to its end (`completed`), broken off, cancelled, aborted or failed (`error`). Its
   * aggregate is recorded (built off the caller's path); a stream the caller aborted is marked `stream_aborted`.
   */
  stopStream(completed: boolean, error?: unknown): void {
    try {
      const acc = this.acc;
      if (this.call.ended || !acc) return;
      const aborted = this.aborted;
      const recordError = error !== undefined && !(aborted && this.abortEndsQuietly());
      this.finish(() => {
        const result = acc.result(completed && !aborted);
        if (aborted) result.metadata = { ...result.metadata, [META.STREAM_ABORTED]: true };
        if (recordError) result.error = error;
        return result;
      });
    } catch (failure) {
      reportInternal(`${this.call.integrationName}.stream.finish`, failure);
    }
  }

  /** The kit closes a call that reported no end: with what its stream delivered so far, or as a result nobody read. */
  abandoned(): void {
    const acc = this.acc;
    if (!acc) return this.finish({ metadata: { [META.RESULT_UNCONSUMED]: true } });
    this.finish(() => acc.result(false));
  }

  // What a wrapper adds (each runs in the deferred recording, off the caller's path).

  /** The span's fields that come from the request (input, model parameters) and the request's metadata. */
  protected recordRequest(_span: Span, _metadata: Record<string, unknown>): void {}

  /** The provider's usage in core's shape (default: `normalizeTokenUsage`). */
  protected usage(raw: unknown): TokenUsage | undefined {
    return normalizeTokenUsage(raw);
  }

  /** Whether a result without usage is marked `usage_unavailable` (default: always). */
  protected usageExpected(_result: ModelResult): boolean {
    return true;
  }

  /** Span metadata describing a failure (`error_status`, `error_type`, `error_code`, `request_id`). */
  protected describeError(_error: unknown): Record<string, unknown> | undefined {
    return undefined;
  }

  /** Metadata of the trace a standalone call starts. */
  protected traceMetadata(): Record<string, unknown> | undefined {
    return undefined;
  }

  /**
   * Whether a stream the caller aborted with their own signal is recorded as stopped on purpose (no error) even when
   * the SDK ends the caller's loop with an abort error (default: the error is recorded).
   */
  protected abortEndsQuietly(): boolean {
    return false;
  }

  /** Drops what the caller may keep alive with the stream object (and so with this call) once it is recorded. */
  protected release(): void {
    this.acc = undefined;
    this.signal = undefined;
  }

  /** The deferred recording: builds the result and sets the span's fields; the kit ends the span (and a standalone trace). */
  private record(pending: ModelResult | (() => ModelResult)): CallEnd {
    const name = this.call.integrationName;
    let result: ModelResult;
    try {
      result = (typeof pending === "function" ? pending() : pending) ?? {};
    } catch (error) {
      reportInternal(`${name}.result`, error);
      result = { metadata: { [META.RESULT_ERROR]: true } };
    }
    const span = this.call.span;
    if (typeof result.model === "string" && result.model) span.setModel(result.model);
    const metadata: Record<string, unknown> = {};
    try {
      this.recordRequest(span, metadata);
    } catch (error) {
      reportInternal(`${name}.request`, error);
    }
    if (this.firstTokenTime !== undefined) span.setCompletionStartTime(this.firstTokenTime);
    if (result.metadata) Object.assign(metadata, result.metadata);
    const usage = result.usage === undefined || result.usage === null ? undefined : this.usage(result.usage);
    if (usage) span.setTokenUsage(usage);
    else if (this.usageExpected(result)) metadata[META.USAGE_UNAVAILABLE] = true;
    if (result.error !== undefined) Object.assign(metadata, this.describeError(result.error));
    this.release();
    const end: CallEnd = {
      output: result.output,
      error: result.error,
      metadata,
      endTime: result.endTime,
      traceMetadata: this.traceMetadata(),
    };
    if ("traceOutput" in result) end.traceOutput = result.traceOutput;
    return end;
  }
}

/**
 * Starts a model call (`integration.startCall(spec)`; give the caller's `withPandaProbe()` options as
 * `spec.callOptions`) and makes its recorder with `make(call)`; an abandoned call is closed through the recorder
 * (`abandoned()`). Undefined when nothing is recorded, or when starting failed (reported as `<integration>.start`):
 * then let the SDK's call through untouched.
 */
export function startModelCall<C extends ModelCall>(
  integration: Integration,
  spec: Omit<CallSpec, "onAbandon" | "key" | "state">,
  make: (call: Call) => C,
): C | undefined {
  try {
    let recorder: C | undefined;
    (spec as CallSpec).onAbandon = () => recorder?.abandoned();
    const call = integration.startCall(spec);
    if (!call) return undefined;
    recorder = make(call);
    return recorder;
  } catch (error) {
    reportInternal(`${integration.name}.start`, error);
    return undefined;
  }
}
