/**
 * One traced Google Gen AI call: the kit's `Call` (root span, identity, content policy, stale-call sweep) plus what
 * this SDK adds. On the caller's path it only notes what cannot wait (copies of the request's arrays, the time) and,
 * at the end, asks the kit to end the call; the span's fields (input messages, model parameters, output, usage,
 * metadata) are built by the deferred recording, which `flush()` drains first.
 */
import { type Call, type CallEnd, META, nowMs, reportError } from "@pandaprobe/core/integration";
import type { SpanKind } from "@pandaprobe/core";
import { describeError } from "./extract/errors.js";
import { toolNames } from "./extract/parameters.js";
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

// Fields are `declare`d and assigned in the constructor, in one fixed order: no class-field
// [[Define]] per field (measurable on this per-call object) and one hidden class for every call.
export class GeminiCall {
  declare readonly call: Call;
  declare readonly endpoint: Endpoint;
  /** The stream being observed, once there is one (see streaming/instrument-stream). */
  declare acc: StreamAccumulator | undefined;
  declare private readonly params: Loose;
  declare private readonly captured: unknown;
  declare private firstTokenTime: number | undefined;

  constructor(call: Call, endpoint: Endpoint, params: Loose, captured: unknown) {
    this.call = call;
    this.endpoint = endpoint;
    this.acc = undefined;
    this.params = params;
    this.captured = captured;
    this.firstTokenTime = undefined;
  }

  /** Set once the call has stopped: every later event is ignored. */
  get done(): boolean {
    return this.call.ended;
  }

  /** Whether the caller aborted the request (`config.abortSignal`). */
  aborted(): boolean {
    return this.params.config?.abortSignal?.aborted === true;
  }

  /** Notes the first content of a stream (`completion_start_time`). */
  firstToken(): void {
    if (this.firstTokenTime === undefined) this.firstTokenTime = nowMs();
  }

  /**
   * The call stopped: the kit notes the end time and stops sweeping it now; `result` (or the function that
   * builds it, run off the caller's path) is recorded with the other recordings. Later calls do nothing.
   */
  finish(result: CallResult | (() => CallResult)): void {
    if (!this.call.ended) this.call.end(() => this.record(result));
  }

  /** Records a failed call (the error the caller receives, unchanged). */
  fail(error: unknown): void {
    this.finish({ error });
  }

  /** The kit closes a call that reported no end: what a stream delivered so far, or a result nobody read. */
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
      reportError("google-genai.result", error);
      result = { metadata: { [META.RESULT_ERROR]: true } };
    }
    const span = this.call.span;
    const endpoint = this.endpoint;
    const params = this.params;
    if (typeof result.model === "string" && result.model) span.setModel(result.model);
    const parameters = endpoint.modelParameters(params);
    if (parameters) span.setModelParameters(parameters);
    if (this.call.recordInputs) {
      const { input, traceInput } = endpoint.input(this.captured);
      span.setInput(input);
      if (traceInput !== undefined && this.call.standalone) span.trace.setInput(traceInput);
    }
    if (this.firstTokenTime !== undefined) span.setCompletionStartTime(this.firstTokenTime);
    const metadata: Record<string, unknown> = { ...result.metadata };
    const tools = toolNames(params);
    if (tools) metadata[META.TOOLS] = tools;
    if (result.usage) span.setTokenUsage(result.usage);
    else metadata[META.USAGE_UNAVAILABLE] = true;
    if (result.error !== undefined) Object.assign(metadata, describeError(result.error));
    // The caller may keep the stream object (and so this call) alive: release what is no longer needed.
    this.acc = undefined;
    const end: CallEnd = { output: result.output, error: result.error, metadata };
    if ("traceOutput" in result) end.traceOutput = result.traceOutput;
    return end;
  }
}
