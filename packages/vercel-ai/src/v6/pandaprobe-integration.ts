import {
  extractLastAssistantMessage,
  extractLastUserMessage,
  getCurrentTrace,
  guard,
  logger,
  nowMs,
  pickModelParameters,
  startInactiveSpan,
  type Span,
} from "@pandaprobe/core";
import { contentToAssistant, toMessages } from "../shared/messages.js";
import {
  DEFAULT_STALE_CALL_TIMEOUT_MS,
  identityFrom,
  traceOptionsFor,
  type PandaProbeAiOptions,
} from "../shared/options.js";
import { toTokenUsage } from "../shared/usage.js";
import { asList, clean, wrapMessages } from "../shared/values.js";

// biome-ignore lint/suspicious/noExplicitAny: event shapes differ across ai 6 minors
type E = Record<string, any>;

interface V6Call {
  root: Span;
  standalone: boolean;
  modelParameters?: Record<string, unknown>;
  step?: Span;
  model?: Span;
  modelEndAt?: number;
  tools: Map<string, Span>;
  lastActivity: number;
  detach?: () => void;
}

/** The AI SDK 6 `TelemetryIntegration` shape (6.0.111+). */
export interface PandaProbeIntegration {
  onStart(event: unknown): void;
  onStepStart(event: unknown): void;
  onToolCallStart(event: unknown): void;
  onToolCallFinish(event: unknown): void;
  onStepFinish(event: unknown): void;
  onFinish(event: unknown): void;
}

/**
 * AI SDK 6 `TelemetryIntegration` (needs `ai` 6.0.111 or later). AI SDK 6 events carry no call
 * id, so create one integration per call (`experimental_telemetry: { integrations: [...] }`);
 * a call made inside a tool of the same integration nests under that tool. It sees only
 * `generateText`/`streamText` and no errors (a failed call is closed by the stale-call sweep):
 * prefer `createPandaProbeTracer` for full coverage.
 *
 * @example
 * await generateText({ model, prompt, experimental_telemetry: { integrations: [createPandaProbeIntegration({ userId })] } });
 */
export function createPandaProbeIntegration(options: PandaProbeAiOptions = {}): PandaProbeIntegration {
  const staleMs = options.staleCallTimeoutMs ?? DEFAULT_STALE_CALL_TIMEOUT_MS;
  const stack: V6Call[] = [];
  const inputs = options.recordInputs !== false;
  const outputs = options.recordOutputs !== false;
  const inOnly = <T>(x: T): T | undefined => (inputs ? x : undefined);
  const outOnly = <T>(x: T): T | undefined => (outputs ? x : undefined);
  /** Set when calls overlapped on this instance: events cannot be attributed until it is idle again. */
  let overlapping = 0;
  let overlapSince = 0;

  const top = (): V6Call | undefined => {
    const call = stack[stack.length - 1];
    if (call && Date.now() - call.lastActivity > staleMs) {
      while (stack.length) endCall(stack.pop()!, undefined, "the AI SDK call reported no end (failed or abandoned)");
      return undefined;
    }
    if (call) call.lastActivity = Date.now();
    return call;
  };

  const endCall = (call: V6Call, output: unknown, error?: unknown) => {
    call.detach?.();
    for (const span of call.tools.values()) span.end({ error: error ?? "interrupted" });
    call.model?.end({ error, endTime: call.modelEndAt });
    call.step?.end({ error });
    if (call.standalone && output !== undefined) call.root.trace.setOutput(extractLastAssistantMessage(output));
    call.root.end({ output, error });
  };

  const ignored = (): boolean => {
    if (overlapping > 0 && Date.now() - overlapSince > staleMs) overlapping = 0;
    return overlapping > 0;
  };

  return {
    onStart(event) {
      guard("vercel-ai.v6.onStart", () => {
        if (ignored()) {
          overlapping++;
          return;
        }
        const e = event as E;
        const outer = top();
        const openTools = outer ? [...outer.tools.values()] : [];
        if (outer && openTools.length !== 1) {
          logger.warnOnce(
            "vercel-ai.v6.overlap",
            "createPandaProbeIntegration: concurrent calls on one integration cannot be told apart (AI SDK 6 events have no call id); create one integration per call, or use createPandaProbeTracer",
          );
          while (stack.length) endCall(stack.pop()!, undefined, "concurrent calls on one PandaProbe integration");
          overlapping = 2;
          overlapSince = Date.now();
          return;
        }
        const messages = toMessages({ system: e.system, prompt: e.prompt, messages: e.messages });
        const input = inOnly(wrapMessages(messages));
        const identity = identityFrom(e.metadata);
        const name = e.functionId || "ai.generateText";
        const parent = openTools[0];
        const trace = traceOptionsFor(options, identity, extractLastUserMessage(input));
        const standalone = !parent && getCurrentTrace() === undefined;
        const spanOptions = {
          kind: "AGENT" as const,
          input,
          metadata: clean({
            ...options.metadata,
            ...identity.metadata,
            function_id: e.functionId,
            provider: e.model?.provider,
            model: e.model?.modelId,
          }),
        };
        const root = parent
          ? parent.startSpan(name, spanOptions)
          : startInactiveSpan(name, { ...spanOptions, traceName: name, trace });
        const call: V6Call = {
          root,
          standalone,
          modelParameters: pickModelParameters(e),
          tools: new Map(),
          lastActivity: Date.now(),
        };
        const signal = e.abortSignal as AbortSignal | undefined;
        if (signal && typeof signal.addEventListener === "function") {
          const onAbort = () =>
            guard("vercel-ai.v6.abort", () => {
              const i = stack.indexOf(call);
              if (i < 0) return;
              stack.splice(i, 1);
              call.root.setMetadata({ aborted: true });
              endCall(call, undefined, "aborted");
            });
          signal.addEventListener("abort", onAbort, { once: true });
          call.detach = () => signal.removeEventListener("abort", onAbort);
        }
        stack.push(call);
      });
    },

    onStepStart(event) {
      guard("vercel-ai.v6.onStepStart", () => {
        const e = event as E;
        const call = ignored() ? undefined : top();
        if (!call) return;
        call.step?.end();
        call.step = call.root.startSpan(`step ${e.stepNumber ?? 0}`, { kind: "CHAIN" });
        call.modelEndAt = undefined;
        call.model = call.step.startSpan("ai.generateText.doGenerate", {
          kind: "LLM",
          model: e.model?.modelId,
          modelParameters: call.modelParameters,
          input: inOnly(wrapMessages(toMessages({ system: e.system, messages: e.messages }))),
          metadata: clean({ provider: e.model?.provider }),
        });
      });
    },

    onToolCallStart(event) {
      guard("vercel-ai.v6.onToolCallStart", () => {
        const e = event as E;
        const call = ignored() ? undefined : top();
        const id = e.toolCall?.toolCallId;
        if (!call || !id || call.tools.has(id)) return;
        call.modelEndAt ??= nowMs();
        const span = (call.step ?? call.root).startSpan(String(e.toolCall.toolName ?? "tool"), {
          kind: "TOOL",
          input: inOnly(e.toolCall.input),
          metadata: { tool_call_id: id },
        });
        call.tools.set(id, span);
      });
    },

    onToolCallFinish(event) {
      guard("vercel-ai.v6.onToolCallFinish", () => {
        const e = event as E;
        const call = ignored() ? undefined : top();
        const id = e.toolCall?.toolCallId;
        const span = id ? call?.tools.get(id) : undefined;
        if (!call || !span) return;
        call.tools.delete(id);
        if (e.success === false) span.end({ error: e.error ?? "tool failed" });
        else span.end({ output: outOnly(e.output) });
      });
    },

    onStepFinish(event) {
      guard("vercel-ai.v6.onStepFinish", () => {
        const e = event as E;
        const call = ignored() ? undefined : top();
        if (!call) return;
        const output = outOnly(wrapMessages(asList(contentToAssistant(e.content))));
        if (call.model) {
          const usage = toTokenUsage(e.usage);
          if (usage) call.model.setTokenUsage(usage);
          if (e.response?.modelId) call.model.setModel(e.response.modelId);
          call.model.setMetadata(clean({ finish_reason: e.finishReason, response_id: e.response?.id }) ?? {});
          call.model.end({ output, endTime: call.modelEndAt });
          call.model = undefined;
        }
        call.step?.end({ output });
        call.step = undefined;
      });
    },

    onFinish(event) {
      guard("vercel-ai.v6.onFinish", () => {
        if (overlapping > 0) {
          overlapping = Math.max(0, overlapping - 1);
          return;
        }
        const e = event as E;
        const call = stack.pop();
        if (!call) return;
        if (e.finishReason) call.root.setMetadata({ finish_reason: e.finishReason });
        endCall(call, outOnly(wrapMessages(asList(contentToAssistant([{ type: "text", text: e.text ?? "" }])))));
      });
    },
  };
}
