/**
 * One traced Bedrock call: the kit's `ModelCall` (root span or standalone trace, identity, content policy, stale-call
 * sweep, result, usage, stream endings) plus what Bedrock adds. On the caller's path it only notes what cannot wait
 * (the input's arrays); the span's request fields (input, model parameters, provider, tools, request id) are set by
 * the deferred recording, which `flush()` drains first.
 */
import type { Span, TokenUsage } from "@pandaprobe/core";
import { type Call, META, ModelCall, type ModelResult } from "@pandaprobe/core/integration";
import { describeError } from "./extract/errors.js";
import { modelProvider } from "./model-id.js";
import type { Captured, Operation } from "./operations.js";

// Fields are `declare`d and assigned in the constructor, in one fixed order: no class-field [[Define]] per field
// on this per-call object, and one hidden class for every call.
export class BedrockCall extends ModelCall {
  declare readonly op: Operation;
  declare readonly captured: Captured;
  /** The AWS request id (`x-amzn-requestid`). */
  declare requestId: string | undefined;

  constructor(call: Call, op: Operation, captured: Captured, signal: AbortSignal | undefined) {
    super(call);
    this.op = op;
    this.captured = captured;
    this.requestId = undefined;
    /** The caller's `abortSignal` (`send(command, { abortSignal })`): a stream it ends stopped early, not failed. */
    this.signal = signal;
  }

  protected override recordRequest(span: Span, metadata: Record<string, unknown>): void {
    const { call, op, captured } = this;
    span.setInput(op.input(captured));
    const traceInput = call.standalone ? op.traceInput?.(captured) : undefined;
    if (traceInput !== undefined) span.trace.setInput(traceInput);
    const parameters = op.parameters(captured);
    if (parameters) span.setModelParameters(parameters);
    const provider = captured.modelId === undefined ? undefined : modelProvider(captured.modelId);
    metadata[META.PROVIDER] = provider ? `bedrock.${provider}` : "bedrock";
    const tools = op.tools(captured);
    if (tools) metadata[META.TOOLS] = tools;
    if (this.requestId) metadata[META.REQUEST_ID] = this.requestId;
  }

  /** The operations give usage in core's shape already (see extract/usage.ts). */
  protected override usage(raw: unknown): TokenUsage | undefined {
    return raw as TokenUsage;
  }

  /** A failed call is not marked `usage_unavailable`. */
  protected override usageExpected(result: ModelResult): boolean {
    return result.error === undefined;
  }

  protected override describeError(error: unknown): Record<string, unknown> {
    return describeError(error);
  }
}
