/**
 * One traced Anthropic call: the kit's `ApiPromiseCall` (root span, identity, content policy, stale-call sweep,
 * result, usage, stream endings, the `APIPromise` it observes) plus what the SDK adds. On the caller's path it only
 * keeps what cannot wait (copies of the request's arrays); every span field (input in the messages convention,
 * output, usage, model parameters, tool spans) is built by the deferred recording, which `flush()` drains first.
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
import { describeError } from "./extract/errors.js";

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
  finish(call: CallRecorder, data: unknown): ModelResult;
  /** Accumulator for a streaming call (`undefined` when the endpoint never streams). */
  stream?(call: CallRecorder): StreamAccumulator;
}

/** Anthropic's request id header. */
const REQUEST_ID_HEADER = "request-id";

// Fields are `declare`d and assigned in the constructor, in one fixed order: no class-field [[Define]] per field on
// this per-call object, and one hidden class for every call.
export class CallRecorder extends ApiPromiseCall {
  declare readonly endpoint: Endpoint;
  declare private readonly params: Loose;
  declare private readonly raw: unknown;
  declare private readonly provider: string;

  constructor(call: Call, endpoint: Endpoint, params: Loose, raw: unknown, provider: string) {
    super(call);
    this.endpoint = endpoint;
    this.params = params;
    this.raw = raw;
    this.provider = provider;
  }

  get streaming(): boolean {
    return this.params.stream === true;
  }

  get requestIdHeader(): string {
    return REQUEST_ID_HEADER;
  }

  result(data: unknown): ModelResult {
    return this.endpoint.finish(this, data);
  }

  accumulator(): StreamAccumulator | undefined {
    return this.endpoint.stream?.(this);
  }

  protected override recordRequest(span: Span, metadata: Record<string, unknown>): void {
    const { endpoint, params } = this;
    const parameters = endpoint.modelParameters?.(params);
    if (parameters) span.setModelParameters(parameters);
    if (this.raw !== undefined) span.setInput(endpoint.input(this.raw));
    metadata[META.PROVIDER] = this.provider;
    Object.assign(metadata, endpoint.metadata?.(params));
    super.recordRequest(span, metadata);
  }

  /** Only an LLM call without usage is `usage_unavailable` (token counting and batches report none). */
  protected override usageExpected(): boolean {
    return this.endpoint.kind === "LLM";
  }

  protected override describeError(error: unknown): Record<string, unknown> {
    return describeError(error);
  }
}
