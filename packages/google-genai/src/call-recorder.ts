/**
 * One traced Google Gen AI call: the kit's `ModelCall` (root span, identity, content policy, stale-call sweep,
 * result, usage, stream endings) plus what this SDK adds. On the caller's path it only keeps what cannot wait (copies
 * of the request's arrays); the span's request fields (input messages, model parameters, tool names) are set by the
 * deferred recording, which `flush()` drains first.
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
import { toolNames } from "./extract/parameters.js";

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
  /** Recording time: the result of a non-streaming call (its usage already in core's shape). */
  finish(data: unknown): ModelResult;
  /** The accumulator of a streaming call. */
  stream?(call: GeminiCall): StreamAccumulator;
}

// Fields are `declare`d and assigned in the constructor, in one fixed order: no class-field
// [[Define]] per field (measurable on this per-call object) and one hidden class for every call.
export class GeminiCall extends ModelCall {
  declare readonly endpoint: Endpoint;
  declare private readonly params: Loose;
  declare private readonly captured: unknown;

  constructor(call: Call, endpoint: Endpoint, params: Loose, captured: unknown) {
    super(call);
    this.endpoint = endpoint;
    this.params = params;
    this.captured = captured;
    // The caller's way to abort a request (and its stream).
    this.signal = params.config?.abortSignal;
  }

  protected override recordRequest(span: Span, metadata: Record<string, unknown>): void {
    const { endpoint, params } = this;
    const parameters = endpoint.modelParameters(params);
    if (parameters) span.setModelParameters(parameters);
    if (this.call.recordInputs) {
      const { input, traceInput } = endpoint.input(this.captured);
      span.setInput(input);
      if (traceInput !== undefined && this.call.standalone) span.trace.setInput(traceInput);
    }
    const tools = toolNames(params);
    if (tools) metadata[META.TOOLS] = tools;
  }

  /** The extractors give usage in core's shape already (see extract/usage.ts). */
  protected override usage(raw: unknown): TokenUsage | undefined {
    return raw as TokenUsage;
  }

  protected override describeError(error: unknown): Record<string, unknown> {
    return describeError(error);
  }
}
