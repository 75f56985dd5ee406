/**
 * One traced Anthropic call: the kit's `Call` (root span, identity, content policy, stale-call sweep) plus what the
 * SDK adds. On the caller's path it only keeps what cannot wait (copies of the request's arrays, the time of the
 * first token) and, when the call stops, asks the kit to end it; every span field (input in the messages convention,
 * output, usage, model parameters, tool spans) is built by the deferred recording, which `flush()` drains first.
 */
import type { Span, SpanKind } from "@pandaprobe/core";
import { type Call, type CallEnd, META, normalizeTokenUsage, nowMs, reportError } from "@pandaprobe/core/integration";
import { describeError } from "./extract/errors.js";
import { requestIdMetadata } from "./extract/request-id.js";
import type { Loose } from "./shapes.js";

/** Aggregates a stream event by event (never keeps the events themselves). */
export interface StreamAccumulator {
  /** Called for each event the caller receives. Must be cheap. */
  onEvent(event: unknown): void;
  /** Builds the result when the stream stops (off the caller's path); `completed` is false after break/abort/error/abandon. */
  result(completed: boolean): CallResult;
}

export interface Endpoint {
  /** Default span / standalone trace name. */
  name: string;
  kind: SpanKind;
  /** Record the call only inside an active trace or span: alone it is not worth a trace of its own. */
  nestedOnly?: boolean;
  /** Its input and output are not messages: a standalone trace records neither (the span has them). */
  noTraceIO?: boolean;
  /** Call time: copies of what the caller may change right after the call (cheap; no normalisation). */
  capture(params: Loose): unknown;
  /** End time: the span input built from what `capture` returned. */
  input(raw: unknown): unknown;
  /** End time: the safe model parameters of the request. */
  modelParameters?(params: Loose): Record<string, unknown> | undefined;
  /** End time: request metadata (tool names). */
  metadata?(params: Loose): Record<string, unknown> | undefined;
  /** Result of a non-streaming call (end time). */
  finish(call: CallRecorder, data: unknown): CallResult;
  /** Accumulator for a streaming call (`undefined` when the endpoint never streams). */
  stream?(call: CallRecorder): StreamAccumulator;
}

/** What an endpoint extracted from a result (or a stream's aggregate). */
export interface CallResult {
  /** Span output. */
  output?: unknown;
  /** Output of a standalone trace (default: the last assistant message of the output; `undefined` sets none). */
  traceOutput?: unknown;
  /** The model the API reports (overrides the requested one). */
  model?: unknown;
  /** Usage as Anthropic reports it; on an LLM call, none marks the span `usage_unavailable`. */
  usage?: unknown;
  metadata?: Record<string, unknown>;
  /** An error to record (the span becomes ERROR). */
  error?: unknown;
}

// Fields are `declare`d and assigned in the constructor, in one fixed order: no class-field [[Define]] per field on
// this per-call object, and one hidden class for every call.
export class CallRecorder {
  declare readonly call: Call;
  declare readonly endpoint: Endpoint;
  /** True once the caller asked for the parsed result (`await`, `.then`, `.withResponse()`). */
  declare parsing: boolean;
  /** The SDK's response properties of a streamed call (its request id is read when recording). */
  declare response: unknown;
  /** The stream being observed, once there is one (see streaming/instrument-stream). */
  declare acc: StreamAccumulator | undefined;
  declare controller: AbortController | undefined;
  declare private readonly params: Loose;
  declare private readonly raw: unknown;
  declare private readonly provider: string;
  declare private firstTokenTime: number | undefined;

  constructor(call: Call, endpoint: Endpoint, params: Loose, raw: unknown, provider: string) {
    this.call = call;
    this.endpoint = endpoint;
    this.parsing = false;
    this.response = undefined;
    this.acc = undefined;
    this.controller = undefined;
    this.params = params;
    this.raw = raw;
    this.provider = provider;
    this.firstTokenTime = undefined;
  }

  /** Set once the call has stopped: every later event is ignored. */
  get done(): boolean {
    return this.call.ended;
  }

  /** The call's span (a standalone call's trace and span are made on first use, usually in the deferred job). */
  get span(): Span {
    return this.call.span;
  }

  /** Whether the request asked for a stream. */
  get streaming(): boolean {
    return this.params.stream === true;
  }

  /** Notes the first content delta of a stream (`completion_start_time`). */
  firstToken(): void {
    if (this.firstTokenTime === undefined) this.firstTokenTime = nowMs();
  }

  /**
   * The call stopped: the kit notes the end time and stops sweeping it now; `result` (or the function that builds
   * it, run off the caller's path) is recorded with the other recordings. Later calls do nothing.
   */
  finish(result: CallResult | (() => CallResult)): void {
    if (!this.call.ended) this.call.end(() => this.record(result));
  }

  /** Records a failed call (the error the caller receives, unchanged). */
  fail(error: unknown): void {
    this.finish({ error });
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
      reportError("anthropic.result", error);
      result = { metadata: { [META.RESULT_ERROR]: true } };
    }
    const span = this.call.span;
    const endpoint = this.endpoint;
    const params = this.params;
    if (typeof result.model === "string" && result.model) span.setModel(result.model);
    const parameters = endpoint.modelParameters?.(params);
    if (parameters) span.setModelParameters(parameters);
    if (this.raw !== undefined) span.setInput(endpoint.input(this.raw));
    if (this.firstTokenTime !== undefined) span.setCompletionStartTime(this.firstTokenTime);
    const metadata: Record<string, unknown> = {
      [META.PROVIDER]: this.provider,
      ...endpoint.metadata?.(params),
      ...(this.response === undefined ? undefined : requestIdMetadata(undefined, this.response)),
      ...result.metadata,
    };
    const usage = result.usage === undefined || result.usage === null ? undefined : normalizeTokenUsage(result.usage);
    if (usage) span.setTokenUsage(usage);
    else if (endpoint.kind === "LLM") metadata[META.USAGE_UNAVAILABLE] = true;
    if (result.error !== undefined) Object.assign(metadata, describeError(result.error));
    // The caller may keep the stream (and so this call) alive: release what is no longer needed.
    this.acc = undefined;
    this.controller = undefined;
    this.response = undefined;
    const end: CallEnd = { output: result.output, error: result.error, metadata };
    if ("traceOutput" in result) end.traceOutput = result.traceOutput;
    return end;
  }
}
