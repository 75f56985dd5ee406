import {
  extractLastAssistantMessage,
  extractLastUserMessage,
  getCurrentTrace,
  guard,
  pickModelParameters,
  startInactiveSpan,
  withSpan,
  type Span,
} from "@pandaprobe/core";
import { assistantMessage, contentOutput, parseJson, toMessages } from "../shared/messages.js";
import { modelCallName, operationInfo } from "../shared/operations.js";
import {
  DEFAULT_STALE_CALL_TIMEOUT_MS,
  identityFrom,
  traceOptionsFor,
  type PandaProbeAiOptions,
} from "../shared/options.js";
import { StaleSweeper } from "../shared/stale-sweeper.js";
import { embeddingUsage, toTokenUsage } from "../shared/usage.js";
import { clean, embeddingSummary, errorText } from "../shared/values.js";
import { endOpenChildren, endStep, nowMs, type V7CallState } from "./call-state.js";
import type { V7Event, V7ExecuteOptions } from "./types.js";

// biome-ignore lint/suspicious/noExplicitAny: event shapes differ across ai 7 minors
type E = V7Event & Record<string, any>;

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
 * guarded, and never throws into the AI SDK.
 *
 * Per-call overrides: `runtimeContext: { userId, sessionId, tags }` with
 * `telemetry: { includeRuntimeContext: { userId: true, sessionId: true, tags: true } }`.
 *
 * @example
 * registerTelemetry(new PandaProbeTelemetry({ userId: "u-1" }));
 * // or per call: generateText({ ..., telemetry: { integrations: [new PandaProbeTelemetry()] } })
 */
export class PandaProbeTelemetry {
  private readonly calls: StaleSweeper<string, V7CallState>;

  constructor(private readonly options: PandaProbeAiOptions = {}) {
    this.calls = new StaleSweeper(options.staleCallTimeoutMs ?? DEFAULT_STALE_CALL_TIMEOUT_MS, (_id, state) => {
      const error = new Error("the AI SDK call reported no end (stream cancelled or abandoned)");
      endOpenChildren(state, error);
      state.root.end({ error });
    });
  }

  /** Number of calls currently tracked (for tests and diagnostics). */
  get openCalls(): number {
    return this.calls.entries.size;
  }

  onStart(event: unknown): void {
    guard("vercel-ai.v7.onStart", () => this.startCall(event as E));
  }

  onLanguageModelCallEnd(event: unknown): void {
    guard("vercel-ai.v7.onLanguageModelCallEnd", () => {
      const e = event as E;
      const state = this.calls.get(e?.callId);
      const span = state?.model;
      if (!state || !span) return;
      const ttfo = e.performance?.timeToFirstOutputMs;
      if (typeof ttfo === "number" && state.modelStartedAt !== undefined) {
        span.setCompletionStartTime(state.modelStartedAt + ttfo);
      }
      const output = state.recordOutputs ? contentOutput(e.content) : undefined;
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
      const state = this.calls.get(e?.callId);
      if (!state || state.model) return;
      const messages = state.recordInputs ? toMessages({ messages: e.promptMessages }) : undefined;
      this.startModelSpan(state, e, messages && { messages });
    });
  }

  onObjectStepEnd(event: unknown): void {
    guard("vercel-ai.v7.onObjectStepEnd", () => {
      const e = event as E;
      const state = this.calls.get(e?.callId);
      const span = state?.model;
      if (!state || !span) return;
      if (typeof e.msToFirstChunk === "number" && state.modelStartedAt !== undefined) {
        span.setCompletionStartTime(state.modelStartedAt + e.msToFirstChunk);
      }
      this.endModelSpan(state, e, state.recordOutputs ? parseJson(e.objectText) : undefined);
    });
  }

  onToolExecutionStart(event: unknown): void {
    guard("vercel-ai.v7.onToolExecutionStart", () => {
      const e = event as E;
      const state = this.calls.get(e?.callId);
      const call = e?.toolCall;
      if (!state || !call?.toolCallId || state.tools?.has(call.toolCallId)) return;
      const span = (state.step ?? state.root).startSpan(String(call.toolName ?? "tool"), {
        kind: "TOOL",
        input: state.recordInputs ? call.input : undefined,
        metadata: { tool_call_id: call.toolCallId },
        startTime: e.timestamp,
      });
      (state.tools ??= new Map()).set(call.toolCallId, span);
    });
  }

  onToolExecutionEnd(event: unknown): void {
    guard("vercel-ai.v7.onToolExecutionEnd", () => {
      const e = event as E;
      const state = this.calls.get(e?.callId);
      const id = e?.toolCall?.toolCallId;
      const span = id ? state?.tools?.get(id) : undefined;
      if (!state || !span) return;
      state.tools!.delete(id);
      const out = e.toolOutput;
      if (out?.type === "tool-error") span.end({ error: out.error ?? "tool failed", endTime: e.timestamp });
      else span.end({ output: state.recordOutputs ? out?.output : undefined, endTime: e.timestamp });
      if (state.step) state.stepEndAt = nowMs();
    });
  }

  onStepError(event: unknown): void {
    guard("vercel-ai.v7.onStepError", () => {
      const e = event as E;
      const state = this.calls.get(e?.callId);
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
      const state = this.calls.get(e?.callId);
      if (!state || !e.embedCallId || state.embeds?.has(e.embedCallId)) return;
      const span = state.root.startSpan(String(e.operationId ?? modelCallName(state.operationId)), {
        kind: "EMBEDDING",
        model: e.modelId,
        input: state.recordInputs ? e.values : undefined,
        metadata: clean({ provider: e.provider, values: Array.isArray(e.values) ? e.values.length : undefined }),
        startTime: e.timestamp,
      });
      (state.embeds ??= new Map()).set(e.embedCallId, span);
    });
  }

  onEmbedEnd(event: unknown): void {
    guard("vercel-ai.v7.onEmbedEnd", () => {
      const e = event as E;
      const state = this.calls.get(e?.callId);
      const span = e?.embedCallId ? state?.embeds?.get(e.embedCallId) : undefined;
      if (!state || !span) return;
      state.embeds!.delete(e.embedCallId);
      const usage = embeddingUsage(e.usage);
      if (usage) span.setTokenUsage(usage);
      span.end({ output: embeddingSummary(e.embeddings), endTime: e.timestamp });
    });
  }

  onEnd(event: unknown): void {
    guard("vercel-ai.v7.onEnd", () => {
      const e = event as E;
      const state = this.calls.get(e?.callId);
      if (!state) return;
      this.calls.delete(e.callId);
      let output: unknown;
      if (state.recordOutputs) {
        if (state.info.isEmbedding) output = embeddingSummary(e.embedding ?? e.embeddings);
        else if (state.info.isObject) output = e.object;
        else output = { messages: [assistantMessage(e.text)] };
      }
      if (e.finishReason) state.root.setMetadata({ finish_reason: e.finishReason });
      if (state.standalone && output !== undefined) {
        // Text output already is the last assistant message alone.
        state.root.trace.setOutput(state.info.isObject ? extractLastAssistantMessage(output) : output);
      }
      endOpenChildren(state, "the call ended before this span");
      state.root.end({ output, endTime: e.timestamp, error: e.error ?? undefined });
    });
  }

  onAbort(event: unknown): void {
    guard("vercel-ai.v7.onAbort", () => {
      const e = event as E;
      const state = this.calls.get(e?.callId);
      if (!state) return;
      this.calls.delete(e.callId);
      const reason = e.reason === undefined ? "aborted" : `aborted: ${errorText(e.reason)}`;
      endOpenChildren(state, reason);
      state.root.setMetadata({ aborted: true });
      state.root.end({ error: reason, endTime: e.timestamp });
    });
  }

  onError(event: unknown): void {
    guard("vercel-ai.v7.onError", () => {
      const e = event as E;
      const state = e?.callId ? this.calls.get(e.callId) : undefined;
      if (!state) return;
      this.calls.delete(e.callId);
      endOpenChildren(state, e.error);
      state.root.end({ error: e.error ?? "AI SDK call failed" });
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
      options.toolCallId ? this.calls.get(options.callId)?.tools?.get(options.toolCallId) : undefined,
    );
    return runIn(span, options.execute);
  }

  private startLanguageModelCall(e: E): Span | undefined {
    const state = this.calls.get(e?.callId);
    if (!state) return undefined;
    if (state.model) return state.model;
    if (state.info.hasSteps) {
      endStep(state);
      state.step = state.root.startSpan(`step ${state.steps++}`, { kind: "CHAIN" });
    }
    let input: unknown;
    if (state.recordInputs) {
      const tools = Array.isArray(e.tools) && e.tools.length > 0 ? e.tools.slice() : undefined;
      const messages = toMessages({ system: e.instructions, messages: e.messages });
      input = tools ? { messages, tools } : messages && { messages };
    }
    this.startModelSpan(state, e, input);
    return state.model;
  }

  private startModelSpan(state: V7CallState, e: E, input: unknown): void {
    state.modelStartedAt = typeof e.timestamp === "number" ? e.timestamp : nowMs();
    state.model = (state.step ?? state.root).startSpan(modelCallName(state.operationId), {
      kind: "LLM",
      model: e.modelId,
      modelParameters: pickModelParameters(e),
      input,
      metadata: e.provider ? { provider: e.provider } : undefined,
      startTime: state.modelStartedAt,
    });
  }

  private endModelSpan(state: V7CallState, e: E, output: unknown): void {
    const span = state.model!;
    state.model = undefined;
    const usage = toTokenUsage(e.usage);
    if (usage) span.setTokenUsage(usage);
    const metadata = clean({ finish_reason: e.finishReason, response_id: e.responseId });
    if (metadata) span.setMetadata(metadata);
    span.end({ output, endTime: e.timestamp });
  }

  /** The root span of a call, from `onStart`. */
  private startCall(e: E): void {
    if (!e?.callId || this.calls.entries.has(e.callId)) return;
    const operationId = typeof e.operationId === "string" ? e.operationId : "ai.generateText";
    const info = operationInfo(operationId);
    const recordInputs = e.recordInputs !== false && this.options.recordInputs !== false;
    let input: unknown;
    if (recordInputs) {
      if (info.isEmbedding) input = e.value;
      else {
        const messages = toMessages({ system: e.instructions ?? e.system, prompt: e.prompt, messages: e.messages });
        input = messages && { messages };
      }
    }
    const identity = identityFrom(e.runtimeContext);
    const name = e.functionId || operationId;
    const standalone = getCurrentTrace() === undefined;
    const trace = traceOptionsFor(this.options, identity, info.isEmbedding ? input : extractLastUserMessage(input));
    const root = startInactiveSpan(name, {
      kind: info.kind,
      input,
      startTime: e.timestamp,
      metadata: clean({
        ...this.options.metadata,
        ...identity.metadata,
        operation: operationId,
        function_id: e.functionId,
        provider: e.provider,
        model: e.modelId,
      }),
      traceName: name,
      trace,
    });
    this.calls.set(e.callId, {
      lastActivity: Date.now(),
      root,
      standalone,
      operationId,
      info,
      recordInputs,
      recordOutputs: e.recordOutputs !== false && this.options.recordOutputs !== false,
      steps: 0,
    });
  }
}
