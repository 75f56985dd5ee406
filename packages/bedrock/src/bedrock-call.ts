/**
 * One traced Bedrock call: the kit's `Call` (root span or standalone trace, identity, content policy, stale-call
 * sweep) plus what Bedrock adds. On the caller's path it only notes what cannot wait (the input's arrays, the time);
 * the span's fields (input, model parameters, output, usage, metadata) are built by the deferred recording, which
 * `flush()` drains first.
 */
import { type Call, type CallEnd, META, nowMs, reportError } from "@pandaprobe/core/integration";
import type { CallResult, StreamAccumulator } from "./call-result.js";
import { describeError } from "./extract/errors.js";
import { modelProvider } from "./model-id.js";
import type { Captured, Operation } from "./operations.js";

// Fields are `declare`d and assigned in the constructor, in one fixed order: no class-field [[Define]] per field
// on this per-call object, and one hidden class for every call.
export class BedrockCall {
  declare readonly call: Call;
  declare readonly op: Operation;
  declare readonly captured: Captured;
  /** The caller's `abortSignal` (`send(command, { abortSignal })`): a stream it ends stopped early, not failed. */
  declare readonly signal: AbortSignal | undefined;
  /** The stream being observed, once there is one. */
  declare acc: StreamAccumulator | undefined;
  /** The AWS request id (`x-amzn-requestid`). */
  declare requestId: string | undefined;
  declare private firstTokenTime: number | undefined;

  constructor(call: Call, op: Operation, captured: Captured, signal: AbortSignal | undefined) {
    this.call = call;
    this.op = op;
    this.captured = captured;
    this.signal = signal;
    this.acc = undefined;
    this.requestId = undefined;
    this.firstTokenTime = undefined;
  }

  /** Set once the call has stopped: every later event is ignored. */
  get done(): boolean {
    return this.call.ended;
  }

  /** Notes the first content event of a stream (`completion_start_time`). */
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

  /** The kit closes a call that reported no end: what a stream delivered so far. */
  abandoned(): void {
    const acc = this.acc;
    this.finish(acc ? () => acc.result(false) : {});
  }

  /** The deferred job: builds the result and sets the span's fields; the kit ends the span (and a standalone trace). */
  private record(pending: CallResult | (() => CallResult)): CallEnd {
    let result: CallResult;
    try {
      result = (typeof pending === "function" ? pending() : pending) ?? {};
    } catch (error) {
      reportError("bedrock.result", error);
      result = { metadata: { [META.RESULT_ERROR]: true } };
    }
    const { call, op, captured } = this;
    const span = call.span;
    const metadata: Record<string, unknown> = {};
    try {
      span.setInput(op.input(captured));
      const traceInput = call.standalone ? op.traceInput?.(captured) : undefined;
      if (traceInput !== undefined) span.trace.setInput(traceInput);
      const parameters = op.parameters(captured);
      if (parameters) span.setModelParameters(parameters);
      const provider = captured.modelId === undefined ? undefined : modelProvider(captured.modelId);
      metadata[META.PROVIDER] = provider ? `bedrock.${provider}` : "bedrock";
      const tools = op.tools(captured);
      if (tools) metadata[META.TOOLS] = tools;
    } catch (error) {
      reportError("bedrock.input", error);
    }
    if (this.requestId) metadata[META.REQUEST_ID] = this.requestId;
    if (this.firstTokenTime !== undefined) span.setCompletionStartTime(this.firstTokenTime);
    Object.assign(metadata, result.metadata);
    // The model's reasoning is output: kept out with the rest of it.
    if (!call.recordOutputs) delete metadata[META.REASONING_SUMMARY];
    if (result.usage) span.setTokenUsage(result.usage);
    else if (result.error === undefined) metadata[META.USAGE_UNAVAILABLE] = true;
    if (result.error !== undefined) Object.assign(metadata, describeError(result.error));
    // The caller may keep the stream object (and so this call) alive: release the aggregate.
    this.acc = undefined;
    const end: CallEnd = { output: result.output, error: result.error, metadata };
    if ("traceOutput" in result) end.traceOutput = result.traceOutput;
    return end;
  }
}
