import type { Span } from "@pandaprobe/core";
import { withSpan } from "@pandaprobe/core";
import {
  type Call,
  compact,
  createIntegration,
  errorMessage,
  guard,
  identityFromRecord,
  type Integration,
  META,
  normalizeTokenUsage,
  nowMs,
  parseJsonOrRaw,
  pickModelParameters,
  summarizeEmbeddings,
} from "@pandaprobe/core/integration";
import { assistantMessage, contentOutput, toMessages } from "../extract/messages.js";
import { modelCallName, operationInfo } from "../extract/operations.js";
import type { PandaProbeAiOptions } from "../types.js";
import { endOpenChildren, endStep, type V7CallState } from "./call-state.js";
import type { V7Event, V7ExecuteOptions } from "./events.js";

// biome-ignore lint/suspicious/noExplicitAny: event shapes differ across ai 7 minors
type E = V7Event & Record<string, any>;
type V7Call = Call<V7CallState>;

/** Runs `execute` with `span` current; falls back to a plain call if core fails before running it. */
function runIn<T>(span: Span | undefined, execute: () => PromiseLike<T>): PromiseLike<T> {
  if (!span) return execute();
  let called = false;
  try {
    return withSpan(span, () => {
      called = true;
      return execute();
    });
  } catch (error) {
    if (called) throw error;
    return execute();
  }
}

/**
 * AI SDK 7 `Telemetry` integration that records every call as a PandaProbe trace (or as a span
 * of the current PandaProbe trace): root span per call, a span per step, an `LLM` span per model
 * call, a `TOOL` span per tool execution and `EMBEDDING` spans. Every callback is synchronous,
 * guarded, and never throws into the AI SDK. Times are the kit's clock, taken as the events arrive.
 *
 * Per-call overrides: `runtimeContext: { userId, sessionId, traceId, tags }` with
 * `telemetry: { includeRuntimeContext: { userId: true, sessionId: true, traceId: true, tags: true } }`.
 *
 * @example
 * registerTelemetry(new PandaProbeTelemetry({ userId: "u-1" }));
 * // or per call: generateText({ ..., telemetry: { integrations: [new PandaProbeTelemetry()] } })
 */
export class PandaProbeTelemetry {
  private readonly integration: Integration<V7CallState>;

  constructor(options: PandaProbeAiOptions = {}) {
    this.integration = createIntegration<V7CallState>("vercel-ai", options);
  }

  /** Number of calls currently tracked (for tests and diagnostics). */
  get openCalls(): number {
    return this.integration.openCalls;
  }

  onStart(event: unknown): void {
    guard("vercel-ai.v7.onStart", () => this.startCall(event as E));
  }

  onLanguageModelCallEnd(event: unknown): void {
    guard("vercel-ai.v7.onLanguageModelCallEnd", () => {
      const e = event as E;
      const state = this.find(e)?.state;
      const span = state?.model;
      if (!state || !span) return;
      const ttfo = e.performance?.timeToFirstOutputMs;
      if (typeof ttfo === "number" && state.modelStartedAt !== undefined) {
        span.setCompletionStartTime(state.modelStartedAt + ttfo);
      }
      const output = contentOutput(e.content);
      this.endModelSpan(state, e, output);
      if (state.step) {
        state.stepOutput = output;
        state.stepFinish = e.finishReason;
        state.stepEndAt = nowMs();
      }
    });
  }

  onObjectStepStart(event: unknown): void {
    guard("vercel-ai.v7.onObjectStepStart", () => {
      const e = event as E;
      const call = this.find(e);
      if (!call || call.state.model) return;
      const messages = toMessages({ messages: e.promptMessages });
      this.startModelSpan(call, e, messages && { messages });
    });
  }

  onObjectStepEnd(event: unknown): void {
    guard("vercel-ai.v7.onObjectStepEnd", () => {
      const e = event as E;
      const state = this.find(e)?.state;
      const span = state?.model;
      if (!state || !span) return;
      if (typeof e.msToFirstChunk === "number" && state.modelStartedAt !== undefined) {
        span.setCompletionStartTime(state.modelStartedAt + e.msToFirstChunk);
      }
      this.endModelSpan(state, e, parseJsonOrRaw(e.objectText));
    });
  }

  onToolExecutionStart(event: unknown): void {
    guard("vercel-ai.v7.onToolExecutionStart", () => {
      const e = event as E;
      const call = this.find(e);
      const toolCall = e?.toolCall;
      if (!call || !toolCall?.toolCallId || call.state.tools?.has(toolCall.toolCallId)) return;
      const state = call.state;
      const span = (state.step ?? call.span).startSpan(String(toolCall.toolName ?? "tool"), {
        kind: "TOOL",
        input: toolCall.input,
        metadata: { [META.TOOL_CALL_ID]: toolCall.toolCallId },
      });
      (state.tools ??= new Map()).set(toolCall.toolCallId, span);
    });
  }

  onToolExecutionEnd(event: unknown): void {
    guard("vercel-ai.v7.onToolExecutionEnd", () => {
      const e = event as E;
      const state = this.find(e)?.state;
      const id = e?.toolCall?.toolCallId;
      const span = id ? state?.tools?.get(id) : undefined;
      if (!state || !span) return;
      state.tools!.delete(id);
      const out = e.toolOutput;
      if (out?.type === "tool-error") span.end({ error: out.error ?? "tool failed" });
      else span.end({ output: out?.output });
      if (state.step) state.stepEndAt = nowMs();
    });
  }

  onStepError(event: unknown): void {
    guard("vercel-ai.v7.onStepError", () => {
      const e = event as E;
      const state = this.find(e)?.state;
      if (!state) return;
      state.model?.end({ error: e.error });
      state.model = undefined;
      state.step?.end({ error: e.error });
      state.step = undefined;
      state.stepOutput = state.stepFinish = state.stepEndAt = undefined;
    });
  }

  onEmbedStart(event: unknown): void {
    guard("vercel-ai.v7.onEmbedStart", () => {
      const e = event as E;
      const call = this.find(e);
      if (!call || !e.embedCallId || call.state.embeds?.has(e.embedCallId)) return;
      const span = call.span.startSpan(String(e.operationId ?? modelCallName(call.state.operationId)), {
        kind: "EMBEDDING",
        model: e.modelId,
        input: e.values,
        metadata: compact({
          [META.PROVIDER]: e.provider,
          [META.VALUES]: Array.isArray(e.values) ? e.values.length : undefined,
        }),
      });
      (call.state.embeds ??= new Map()).set(e.embedCallId, span);
    });
  }

  onEmbedEnd(event: unknown): void {
    guard("vercel-ai.v7.onEmbedEnd", () => {
      const e = event as E;
      const state = this.find(e)?.state;
      const span = e?.embedCallId ? state?.embeds?.get(e.embedCallId) : undefined;
      if (!state || !span) return;
      state.embeds!.delete(e.embedCallId);
      const usage = normalizeTokenUsage(e.usage);
      if (usage) span.setTokenUsage(usage);
      span.end({ output: summarizeEmbeddings(e.embeddings) });
    });
  }

  onEnd(event: unknown): void {
    guard("vercel-ai.v7.onEnd", () => {
      const e = event as E;
      const call = this.find(e);
      if (!call) return;
      const info = call.state.info;
      const output = info.isEmbedding
        ? summarizeEmbeddings(e.embedding ?? e.embeddings)
        : info.isObject
          ? e.object
          : { messages: [assistantMessage(e.text)] };
      endOpenChildren(call.state, "the call ended before this span");
      call.end({
        output,
        error: e.error ?? undefined,
        metadata: e.finishReason ? { [META.FINISH_REASON]: e.finishReason } : undefined,
      });
    });
  }

  onAbort(event: unknown): void {
    guard("vercel-ai.v7.onAbort", () => {
      const e = event as E;
      const call = this.find(e);
      if (!call) return;
      const reason = e.reason === undefined ? "aborted" : `aborted: ${errorMessage(e.reason)}`;
      endOpenChildren(call.state, reason);
      call.end({ error: reason, metadata: { [META.ABORTED]: true } });
    });
  }

  onError(event: unknown): void {
    guard("vercel-ai.v7.onError", () => {
      const e = event as E;
      const call = e?.callId ? this.find(e) : undefined;
      if (!call) return;
      endOpenChildren(call.state, e.error);
      call.end({ error: e.error ?? "AI SDK call failed" });
    });
  }

  /**
   * Starts the model-call span (and its step) and runs the provider call with it current, so
   * provider HTTP spans nest under it. This event carries everything `onLanguageModelCallStart`
   * does, so that one is not subscribed to (each subscribed event costs an AI SDK dispatch).
   * A retried attempt runs in the span of the first one.
   */
  executeLanguageModelCall<T>(options: V7ExecuteOptions<T>): PromiseLike<T> {
    const span = guard("vercel-ai.v7.executeLanguageModelCall", () =>
      this.startLanguageModelCall(options as unknown as E),
    );
    return runIn(span, options.execute);
  }

  /** Runs a tool with its TOOL span current, so calls made inside the tool nest under it. */
  executeTool<T>(options: V7ExecuteOptions<T>): PromiseLike<T> {
    const span = guard("vercel-ai.v7.executeTool", () =>
      options.toolCallId ? this.find(options as unknown as E)?.state.tools?.get(options.toolCallId) : undefined,
    );
    return runIn(span, options.execute);
  }

  /** The open call of an event (noting the event as its activity). */
  private find(e: E | undefined): V7Call | undefined {
    return this.integration.findCall(e?.callId);
  }

  private startLanguageModelCall(e: E): Span | undefined {
    const call = this.find(e);
    if (!call) return undefined;
    const state = call.state;
    if (state.model) return state.model;
    if (state.info.hasSteps) {
      endStep(state);
      state.step = call.span.startSpan(`step ${state.steps++}`, { kind: "CHAIN" });
    }
    const tools = Array.isArray(e.tools) && e.tools.length > 0 ? e.tools.slice() : undefined;
    const messages = toMessages({ system: e.instructions, messages: e.messages });
    this.startModelSpan(call, e, tools ? { messages, tools } : messages && { messages });
    return state.model;
  }

  private startModelSpan(call: V7Call, e: E, input: unknown): void {
    const state = call.state;
    state.modelStartedAt = nowMs();
    state.model = (state.step ?? call.span).startSpan(modelCallName(state.operationId), {
      kind: "LLM",
      model: e.modelId,
      modelParameters: pickModelParameters(e),
      input,
      metadata: e.provider ? { [META.PROVIDER]: e.provider } : undefined,
      startTime: state.modelStartedAt,
    });
  }

  private endModelSpan(state: V7CallState, e: E, output: unknown): void {
    const span = state.model!;
    state.model = undefined;
    const usage = normalizeTokenUsage(e.usage);
    if (usage) span.setTokenUsage(usage);
    const metadata = compact({ [META.FINISH_REASON]: e.finishReason, [META.RESPONSE_ID]: e.responseId });
    if (metadata) span.setMetadata(metadata);
    span.end({ output });
  }

  /** The call's root span, from `onStart`: a kit call keyed by the AI SDK's `callId`. */
  private startCall(e: E): void {
    if (!e?.callId || this.integration.findCall(e.callId)) return;
    const operationId = typeof e.operationId === "string" ? e.operationId : "ai.generateText";
    const info = operationInfo(operationId);
    let input: unknown;
    if (info.isEmbedding) input = e.value;
    else {
      const messages = toMessages({ system: e.instructions ?? e.system, prompt: e.prompt, messages: e.messages });
      input = messages && { messages };
    }
    const state: V7CallState = { operationId, info, steps: 0 };
    this.integration.startCall({
      name: e.functionId || operationId,
      kind: info.kind,
      input,
      metadata: compact({
        [META.OPERATION]: operationId,
        [META.FUNCTION_ID]: e.functionId,
        [META.PROVIDER]: e.provider,
        [META.MODEL]: e.modelId,
      }),
      identity: identityFromRecord(e.runtimeContext),
      recordInputs: e.recordInputs,
      recordOutputs: e.recordOutputs,
      key: e.callId,
      state,
      onAbandon: (call) => endOpenChildren(state, call.abandoned?.error),
    });
  }
}
