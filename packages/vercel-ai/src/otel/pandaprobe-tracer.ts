import {
  extractLastAssistantMessage,
  extractLastUserMessage,
  getCurrentSpan,
  getCurrentTrace,
  guard,
  startInactiveSpan,
  withSpan,
  type Span,
} from "@pandaprobe/core";
import type { Tracer } from "@opentelemetry/api";
import { operationInfo, type OperationInfo } from "../shared/operations.js";
import { DEFAULT_STALE_CALL_TIMEOUT_MS, identityFrom, traceOptionsFor, type PandaProbeAiOptions } from "../shared/options.js";
import { StaleSweeper } from "../shared/stale-sweeper.js";
import { clean } from "../shared/values.js";
import { modelInput, modelParameters, modelUsage, msToFirstChunk, responseOutput, rootInput, telemetryMetadata, type Attrs } from "./map-attributes.js";
import { OtelSpan } from "./otel-span.js";

const ROOT_OPERATIONS = new Set(["ai.generateText", "ai.streamText", "ai.generateObject", "ai.streamObject", "ai.embed", "ai.embedMany"]);

interface CallState {
  lastActivity: number;
  root: Span;
  info: OperationInfo;
  standalone: boolean;
  steps: number;
  step?: Span;
  stepLastEnd?: number;
  open: Map<OtelSpan, Span>;
}

interface Binding {
  core: Span;
  call: CallState | undefined;
  startedAt: number;
}

/**
 * Turns the AI SDK's OpenTelemetry spans (`ai.*`, v5 and v6) into PandaProbe traces.
 * Parenting comes from PandaProbe's own async context, so no global OTel provider or context
 * manager is needed or registered.
 */
class PandaProbeTracer {
  private readonly calls: StaleSweeper<Span, CallState>;
  /** Core span (root, model call, tool) → the call it belongs to. */
  private readonly owners = new WeakMap<Span, CallState>();

  private readonly inputs: boolean;
  private readonly outputs: boolean;

  constructor(private readonly options: PandaProbeAiOptions) {
    this.inputs = options.recordInputs !== false;
    this.outputs = options.recordOutputs !== false;
    this.calls = new StaleSweeper(options.staleCallTimeoutMs ?? DEFAULT_STALE_CALL_TIMEOUT_MS, (_root, call) => {
      const error = new Error("the AI SDK call reported no end (stream cancelled or abandoned)");
      this.finishCall(call, undefined, error);
    });
  }

  startSpan(name: string, options?: { attributes?: Attrs }): OtelSpan {
    return guard("vercel-ai.otel.startSpan", () => this.open(name, options?.attributes), undefined) ?? new OtelSpan(name, undefined, undefined);
  }

  startActiveSpan(name: string, ...args: unknown[]): unknown {
    const fn = args[args.length - 1] as (span: OtelSpan) => unknown;
    const options = typeof args[0] === "object" && args[0] !== null ? (args[0] as { attributes?: Attrs }) : undefined;
    const span = guard("vercel-ai.otel.startActiveSpan", () => this.open(name, options?.attributes), undefined);
    if (!span) return fn(new OtelSpan(name, undefined, undefined));
    const core = (span.binding as Binding | undefined)?.core;
    if (!core) return fn(span);
    let called = false;
    try {
      return withSpan(core, () => {
        called = true;
        return fn(span);
      });
    } catch (error) {
      if (called) throw error;
      return fn(span);
    }
  }

  private open(name: string, attributes: Attrs | undefined): OtelSpan {
    const attrs = attributes ?? {};
    const span = new OtelSpan(name, attrs, (s, endTime) => this.close(s, endTime));
    const current = getCurrentSpan();
    const call = current ? this.owners.get(current) : undefined;
    const startedAt = Date.now();
    let core: Span;
    let owner: CallState | undefined = call;
    if (ROOT_OPERATIONS.has(name)) {
      owner = this.openCall(name, attrs);
      core = owner.root;
    } else if (call && /\.do(Generate|Stream)$/.test(name)) {
      call.lastActivity = startedAt;
      if (call.info.hasSteps) {
        this.endStep(call);
        call.step = call.root.startSpan(`step ${call.steps++}`, { kind: "CHAIN" });
      }
      core = (call.step ?? call.root).startSpan(name, { kind: "LLM", model: attrs["ai.model.id"] as string | undefined });
    } else if (call && name.endsWith(".doEmbed")) {
      core = call.root.startSpan(name, { kind: "EMBEDDING", model: attrs["ai.model.id"] as string | undefined });
    } else if (call && name === "ai.toolCall") {
      core = (call.step ?? call.root).startSpan(String(attrs["ai.toolCall.name"] ?? "tool"), { kind: "TOOL" });
    } else {
      core = startInactiveSpan(name, { kind: name === "ai.toolCall" ? "TOOL" : "OTHER" });
    }
    if (owner) {
      this.owners.set(core, owner);
      if (core !== owner.root) owner.open.set(span, core);
    }
    span.binding = { core, call: owner, startedAt } satisfies Binding;
    return span;
  }

  private openCall(operationId: string, attrs: Attrs): CallState {
    const info = operationInfo(operationId);
    const identity = identityFrom(telemetryMetadata(attrs));
    const functionId = attrs["ai.telemetry.functionId"] as string | undefined;
    const input = this.inputs ? rootInput(attrs) : undefined;
    const name = functionId || operationId;
    const standalone = getCurrentTrace() === undefined;
    const root = startInactiveSpan(name, {
      kind: info.kind,
      input,
      metadata: clean({
        ...this.options.metadata,
        ...identity.metadata,
        operation: operationId,
        function_id: functionId,
        provider: attrs["ai.model.provider"],
        model: attrs["ai.model.id"],
      }),
      traceName: name,
      trace: traceOptionsFor(this.options, identity, info.isEmbedding ? input : extractLastUserMessage(input)),
    });
    const call: CallState = { lastActivity: Date.now(), root, info, standalone, steps: 0, open: new Map() };
    this.calls.set(root, call);
    return call;
  }

  private close(span: OtelSpan, endTime: number | undefined): void {
    const binding = span.binding as Binding | undefined;
    if (!binding) return;
    const { core, call } = binding;
    const attrs = this.redact(span.attributes);
    if (call && core === call.root) {
      this.finishCall(call, attrs, span.error, endTime);
      return;
    }
    call?.open.delete(span);
    if (call) {
      call.lastActivity = Date.now();
      call.stepLastEnd = endTime ?? Date.now();
    }
    if (core.kind === "LLM") {
      const params = modelParameters(attrs);
      if (params) core.setModelParameters(params);
      const model = (attrs["ai.response.model"] ?? attrs["ai.model.id"]) as string | undefined;
      if (model) core.setModel(model);
      core.setInput(modelInput(attrs));
      const usage = modelUsage(attrs);
      if (usage) core.setTokenUsage(usage);
      const ttfc = msToFirstChunk(attrs);
      if (ttfc !== undefined) core.setCompletionStartTime(binding.startedAt + ttfc);
      else if (span.firstChunkAt !== undefined) core.setCompletionStartTime(span.firstChunkAt);
      const metadata = clean({ provider: attrs["ai.model.provider"], finish_reason: attrs["ai.response.finishReason"], response_id: attrs["ai.response.id"] });
      if (metadata) core.setMetadata(metadata);
      core.end({ output: responseOutput(attrs), error: span.error, endTime });
    } else if (core.kind === "EMBEDDING") {
      const usage = modelUsage(attrs);
      if (usage) core.setTokenUsage(usage);
      core.setInput(rootInput(attrs));
      core.end({ output: embeddingCount(attrs), error: span.error, endTime });
    } else if (core.kind === "TOOL") {
      core.setInput(parseMaybe(attrs["ai.toolCall.args"] ?? attrs["ai.toolCall.input"]));
      core.setMetadata(clean({ tool_call_id: attrs["ai.toolCall.id"] }) ?? {});
      core.end({ output: parseMaybe(attrs["ai.toolCall.result"] ?? attrs["ai.toolCall.output"]), error: span.error, endTime });
    } else {
      core.end({ error: span.error, endTime });
    }
  }

  /** Drops recorded content when this tracer was created with recordInputs/recordOutputs: false. */
  private redact(attrs: Attrs): Attrs {
    if (this.inputs && this.outputs) return attrs;
    const out: Attrs = {};
    for (const key in attrs) {
      const isInput = /^ai\.(prompt|values?$|toolCall\.(args|input)$|schema)/.test(key);
      const isOutput = /^ai\.(response\.(text|toolCalls|object|reasoning)$|toolCall\.(result|output)$|embeddings?$)/.test(key);
      if ((isInput && !this.inputs) || (isOutput && !this.outputs)) continue;
      out[key] = attrs[key];
    }
    return out;
  }

  /** Ends a call's root: open children first (an aborted stream leaves its model call open). */
  private finishCall(call: CallState, attrs: Attrs | undefined, error: unknown, endTime?: number): void {
    this.calls.delete(call.root);
    for (const [otel, core] of call.open) {
      otel.ended = true;
      core.end({ error: error ?? "interrupted: the call ended before this span (aborted stream?)" });
    }
    call.open.clear();
    this.endStep(call);
    let output: unknown;
    if (attrs) output = call.info.isEmbedding ? embeddingCount(attrs) : responseOutput(attrs);
    if (call.standalone && output !== undefined) {
      call.root.trace.setOutput(call.info.isEmbedding ? output : extractLastAssistantMessage(output));
    }
    if (attrs?.["ai.response.finishReason"]) call.root.setMetadata({ finish_reason: attrs["ai.response.finishReason"] });
    call.root.end({ output, error, endTime });
  }

  private endStep(call: CallState): void {
    if (!call.step) return;
    call.step.end({ endTime: call.stepLastEnd });
    call.step = undefined;
  }
}

function parseMaybe(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function embeddingCount(attrs: Attrs): Record<string, number> | undefined {
  const list = attrs["ai.embeddings"] ?? (attrs["ai.embedding"] !== undefined ? [attrs["ai.embedding"]] : undefined);
  if (!Array.isArray(list)) return undefined;
  const first = parseMaybe(list[0]);
  return { embeddings: list.length, dimensions: Array.isArray(first) ? first.length : 0 };
}

/**
 * An OpenTelemetry `Tracer` for `experimental_telemetry: { isEnabled: true, tracer }` (AI SDK 5
 * and 6). Per-call user/session: `experimental_telemetry.metadata: { userId, sessionId, tags }`.
 * It registers nothing globally and leaves any OpenTelemetry setup of the app alone.
 *
 * @example
 * const tracer = createPandaProbeTracer({ tags: ["chat"] });
 * await generateText({ model, prompt, experimental_telemetry: { isEnabled: true, tracer, metadata: { userId: "u-1" } } });
 */
export function createPandaProbeTracer(options: PandaProbeAiOptions = {}): Tracer {
  return new PandaProbeTracer(options) as unknown as Tracer;
}
