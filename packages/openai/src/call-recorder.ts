/**
 * One traced OpenAI call: the kit's `Call` (root span, identity, content policy, stale-call sweep) plus what the
 * OpenAI SDK adds. On the caller's path it only notes what cannot wait (the request's input arrays, the context,
 * the time) and, at the end, asks the kit to end the call; the span's fields (model parameters, metadata, normalised
 * input, output, usage) are built by the deferred recording, which `flush()` drains first.
 */
import { META, normalizeTokenUsage, nowMs, reportError, type Call, type CallEnd } from "@pandaprobe/core/integration";
import type { Span, SpanKind } from "@pandaprobe/core";
import { readHelperMethod } from "./call-options.js";
import { describeError } from "./extract/errors.js";
import { requestMetadata } from "./extract/request-id.js";
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

/** What an endpoint adapter extracted from a result (or a stream's aggregate). */
export interface CallResult {
  /** Span output. */
  output?: unknown;
  /** Output of a standalone trace (default: the span output; an explicit `undefined` sets none). */
  traceOutput?: unknown;
  /** The model the API reports (overrides the requested one). */
  model?: unknown;
  /** Raw usage object as OpenAI sent it; `undefined` marks the span `usage_unavailable`. */
  usage?: unknown;
  metadata?: Record<string, unknown>;
  /** An error to record (the span becomes ERROR). */
  error?: unknown;
  endTime?: number;
}

// Fields are `declare`d and assigned in the constructor, in one fixed order: no class-field
// [[Define]] per field (measurable on this per-call object) and one hidden class for every call.
export class CallRecorder {
  declare readonly call: Call;
  declare readonly endpoint: Endpoint;
  /** True once the caller asked for the parsed result (`await`, `.then`, `.withResponse()`). */
  declare parsing: boolean;
  /** Metadata known before the end (`request_id`, `include_usage_injected`). */
  declare early: Record<string, unknown> | undefined;
  /** The SDK's response properties of a streamed call (its request id is read when recording). */
  declare response: unknown;
  /** The stream being observed, once there is one (see streaming/instrument-stream). */
  declare acc: StreamAccumulator | undefined;
  declare controller: AbortController | undefined;
  declare private readonly params: Loose;
  declare private readonly captured: Captured;
  declare private readonly requestOptions: unknown;
  declare private firstTokenTime: number | undefined;

  constructor(call: Call, endpoint: Endpoint, params: Loose, captured: Captured, requestOptions: unknown) {
    this.call = call;
    this.endpoint = endpoint;
    this.parsing = false;
    this.early = undefined;
    this.response = undefined;
    this.acc = undefined;
    this.controller = undefined;
    this.params = params;
    this.captured = captured;
    this.requestOptions = requestOptions;
    this.firstTokenTime = undefined;
  }

  /** Set once the call has stopped: every later event is ignored. */
  get done(): boolean {
    return this.call.ended;
  }

  /** The call's span (a standalone call's trace and span are created on first use, usually in the deferred job). */
  get span(): Span {
    return this.call.span;
  }

  get startTime(): number {
    return this.call.startTime;
  }

  /** Whether the request asked for a stream. */
  get streaming(): boolean {
    return this.params.stream === true;
  }

  /** Notes the first content/tool-call delta of a stream (`completion_start_time`). */
  firstToken(): void {
    if (this.firstTokenTime === undefined) this.firstTokenTime = nowMs();
  }

  /** Adds metadata recorded at the end (before the result's own). */
  note(key: string, value: unknown): void {
    (this.early ??= {})[key] = value;
  }

  /**
   * The call stopped: the kit notes the end time and stops sweeping it now; `result` (or the function that
   * builds it, run off the caller's path) is recorded with the other recordings. Later calls do nothing.
   */
  finish(result: CallResult | (() => CallResult)): void {
    if (!this.call.ended) this.call.end(() => this.record(result));
  }

  /** Records a failed call (the error the caller receives, unchanged). */
  fail(error: unknown, partial?: CallResult): void {
    this.finish({ ...partial, error });
  }

  /** The kit closes a call that reported no end: what a stream delivered so far, or a result nobody consumed. */
  abandoned(): void {
    const acc = this.acc;
    if (!acc) return this.finish({ metadata: { [META.RESULT_UNCONSUMED]: true } });
    this.finish(() => acc.result(false));
  }

  /** The deferred job: builds the result and sets the span's fields; the kit ends the span (and a standalone trace). */
  private record(pending: CallResult | (() => CallResult)): CallEnd {
    let result: CallResult;
    try {
      result = (typeof pending === "function" ? pending() : pending) ?? {};
    } catch (error) {
      reportError("openai.result", error);
      result = { metadata: { [META.RESULT_ERROR]: true } };
    }
    const span = this.call.span;
    const endpoint = this.endpoint;
    if (typeof result.model === "string" && result.model) span.setModel(result.model);
    const parameters = endpoint.modelParameters(this.params);
    if (parameters) span.setModelParameters(parameters);
    const raw = this.captured.raw;
    if (raw !== undefined && endpoint.input) span.setInput(endpoint.input(raw));
    if (this.firstTokenTime !== undefined) span.setCompletionStartTime(this.firstTokenTime);
    const helper = readHelperMethod(this.requestOptions);
    const metadata: Record<string, unknown> = {
      ...(helper ? { [META.SDK_HELPER]: helper } : undefined),
      ...this.early,
      ...(this.response === undefined ? undefined : requestMetadata(undefined, this.response)),
      ...result.metadata,
    };
    const usage = result.usage === undefined || result.usage === null ? undefined : normalizeTokenUsage(result.usage);
    if (usage) span.setTokenUsage(usage);
    else metadata[META.USAGE_UNAVAILABLE] = true;
    if (result.error !== undefined) Object.assign(metadata, describeError(result.error));
    // The caller may keep the stream object (and so this call) alive: release what is no longer needed.
    this.acc = undefined;
    this.controller = undefined;
    this.response = undefined;
    const end: CallEnd = {
      output: result.output,
      error: result.error,
      metadata,
      endTime: result.endTime,
      traceMetadata: helper ? { [META.SDK_HELPER]: helper } : undefined,
    };
    if ("traceOutput" in result) end.traceOutput = result.traceOutput;
    return end;
  }
}
