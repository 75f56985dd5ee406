/**
 * One traced OpenAI call: the kit's `ApiPromiseCall` (root span, identity, content policy, stale-call sweep, result,
 * usage, stream endings, the `APIPromise` it observes) plus what the OpenAI SDK adds. On the caller's path it only
 * notes what cannot wait (the request's input arrays, the time); the span's fields (model parameters, metadata,
 * normalised input, output, usage) are built by the deferred recording, which `flush()` drains first.
 */
import type { Span, SpanKind } from "@pandaprobe/core";
import {
  ApiPromiseCall,
  type Call,
  type Loose,
  META,
  type ModelResult,
  type StreamAccumulator,
} from "@pandaprobe/core/integration";
import { readHelperMethod } from "./call-options.js";
import { describeError } from "./extract/errors.js";

/** What must be read from the request at call time (the caller may reuse or mutate its objects afterwards). */
export interface Captured {
  /** Span input, with any array the caller may change copied now (the span is built later). */
  input?: unknown;
  /** Request parts (arrays already copied) that `Endpoint.input` turns into the span input when the span ends. */
  raw?: unknown;
  /** Input of a standalone trace (default: the last user message of the span input). */
  traceInput?: unknown;
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
  finish(call: CallRecorder, data: unknown): ModelResult;
  /** Accumulator for a streaming call (`undefined` when the endpoint never streams). */
  stream?(call: CallRecorder): StreamAccumulator;
}

/** The OpenAI request id header. */
const REQUEST_ID_HEADER = "x-request-id";

// Fields are `declare`d and assigned in the constructor, in one fixed order: no class-field
// [[Define]] per field (measurable on this per-call object) and one hidden class for every call.
export class CallRecorder extends ApiPromiseCall {
  declare readonly endpoint: Endpoint;
  /** Metadata known before the end (`include_usage_injected`). */
  declare early: Record<string, unknown> | undefined;
  declare private readonly params: Loose;
  declare private readonly captured: Captured;
  declare private readonly requestOptions: unknown;

  constructor(call: Call, endpoint: Endpoint, params: Loose, captured: Captured, requestOptions: unknown) {
    super(call);
    this.endpoint = endpoint;
    this.early = undefined;
    this.params = params;
    this.captured = captured;
    this.requestOptions = requestOptions;
  }

  get startTime(): number {
    return this.call.startTime;
  }

  get streaming(): boolean {
    return this.params.stream === true;
  }

  get requestIdHeader(): string {
    return REQUEST_ID_HEADER;
  }

  /** Adds metadata recorded at the end (before the result's own). */
  note(key: string, value: unknown): void {
    (this.early ??= {})[key] = value;
  }

  result(data: unknown): ModelResult {
    return this.endpoint.finish(this, data);
  }

  accumulator(): StreamAccumulator | undefined {
    return this.endpoint.stream?.(this);
  }

  protected override recordRequest(span: Span, metadata: Record<string, unknown>): void {
    const endpoint = this.endpoint;
    const parameters = endpoint.modelParameters(this.params);
    if (parameters) span.setModelParameters(parameters);
    const raw = this.captured.raw;
    if (raw !== undefined && endpoint.input) span.setInput(endpoint.input(raw));
    const helper = readHelperMethod(this.requestOptions);
    if (helper) metadata[META.SDK_HELPER] = helper;
    Object.assign(metadata, this.early);
    super.recordRequest(span, metadata);
  }

  protected override describeError(error: unknown): Record<string, unknown> {
    return describeError(error);
  }

  protected override traceMetadata(): Record<string, unknown> | undefined {
    const helper = readHelperMethod(this.requestOptions);
    return helper ? { [META.SDK_HELPER]: helper } : undefined;
  }
}
