import { getCurrentSpan, type Span, startInactiveSpan, withSpan } from "@pandaprobe/core";
import {
  type CallEnd,
  compact,
  createIntegration,
  deferRecording,
  guard,
  identityFromRecord,
  type Integration,
  META,
  nowMs,
  parseJsonOrRaw,
} from "@pandaprobe/core/integration";
import type { Tracer } from "@opentelemetry/api";
import { operationInfo } from "../extract/operations.js";
import {
  type Attrs,
  collectAttributes,
  embeddingCount,
  METADATA_PREFIX,
  modelInput,
  modelParameters,
  modelUsage,
  msToFirstChunk,
  responseOutput,
  rootInput,
  type SpanAttributes,
} from "../extract/otel-attributes.js";
import type { PandaProbeAiOptions } from "../types.js";
import { type CallState, OtelSpan, type OtelSpanOwner } from "./otel-span.js";

const ROOT_OPERATIONS = new Set([
  "ai.generateText",
  "ai.streamText",
  "ai.generateObject",
  "ai.streamObject",
  "ai.embed",
  "ai.embedMany",
]);
const NO_ATTRIBUTES: Attrs = Object.freeze({}) as Attrs;
const INTERRUPTED = "interrupted: the call ended before this span (aborted stream?)";

const isModelCall = (name: string) => name.endsWith(".doGenerate") || name.endsWith(".doStream");
const nonEmpty = (v: unknown) => (typeof v === "string" && v ? v : undefined);
const meta = (attrs: Attrs, key: string) => attrs[`${METADATA_PREFIX}${key}`];

/**
 * Turns the AI SDK's OpenTelemetry spans (`ai.*`, v5 and v6) into PandaProbe traces: each root operation is a
 * kit call. Parenting comes from PandaProbe's own async context, so no global OTel provider or context manager
 * is needed or registered.
 *
 * On the AI SDK's path it only creates and ends spans (on the kit's clock); reading the attributes (JSON
 * parsing, usage, settings, metadata) is recorded later, off the caller's path (`deferRecording`).
 */
class PandaProbeTracer implements OtelSpanOwner {
  private readonly integration: Integration<CallState>;
  /** Core spans (root, model call, tool) → their call; removed when the call ends. */
  private readonly owners = new Map<Span, CallState>();

  constructor(options: PandaProbeAiOptions) {
    this.integration = createIntegration<CallState>("vercel-ai", options);
  }

  startSpan(name: string, options?: { attributes?: Attrs }): OtelSpan {
    return (
      guard("vercel-ai.otel.startSpan", () => this.open(name, options?.attributes), undefined) ??
      new OtelSpan(name, undefined, undefined)
    );
  }

  startActiveSpan(name: string, ...args: unknown[]): unknown {
    const fn = args[args.length - 1] as (span: OtelSpan) => unknown;
    const options = typeof args[0] === "object" && args[0] !== null ? (args[0] as { attributes?: Attrs }) : undefined;
    const span = guard("vercel-ai.otel.startActiveSpan", () => this.open(name, options?.attributes), undefined);
    if (!span) return fn(new OtelSpan(name, undefined, undefined));
    if (!span.core) return fn(span);
    let called = false;
    try {
      return withSpan(span.core, () => {
        called = true;
        return fn(span);
      });
    } catch (error) {
      if (called) throw error;
      return fn(span);
    }
  }

  private open(name: string, attributes: Attrs | undefined): OtelSpan {
    const attrs = attributes ?? NO_ATTRIBUTES;
    const span = new OtelSpan(name, attributes, this);
    const current = getCurrentSpan();
    const state = current ? this.owners.get(current) : undefined;
    let core: Span | undefined;
    let owner = state;
    if (ROOT_OPERATIONS.has(name)) {
      owner = this.openCall(name, attrs, span);
      core = owner?.call.span;
    } else if (state && isModelCall(name)) {
      state.call.touch();
      if (state.info.hasSteps) {
        this.endStep(state);
        state.step = state.call.span.startSpan(`step ${state.steps++}`, { kind: "CHAIN" });
      }
      // After its step: the model call starts inside it.
      span.startedAt = nowMs();
      core = (state.step ?? state.call.span).startSpan(name, {
        kind: "LLM",
        model: attrs["ai.model.id"] as string | undefined,
        startTime: span.startedAt,
      });
    } else if (state && name.endsWith(".doEmbed")) {
      state.call.touch();
      core = state.call.span.startSpan(name, { kind: "EMBEDDING", model: attrs["ai.model.id"] as string | undefined });
    } else if (state && name === "ai.toolCall") {
      state.call.touch();
      core = (state.step ?? state.call.span).startSpan(String(attrs["ai.toolCall.name"] ?? "tool"), { kind: "TOOL" });
    } else {
      core = startInactiveSpan(name, { kind: name === "ai.toolCall" ? "TOOL" : "OTHER" });
    }
    if (span.startedAt === 0) span.startedAt = nowMs();
    if (owner && core) {
      this.owners.set(core, owner);
      if (core !== owner.call.span) owner.children.push(span);
    }
    span.core = core;
    span.call = owner;
    return span;
  }

  /** Starts a call (its root span); only what its trace needs now (user, session, trace id, tags) is read here. */
  private openCall(operationId: string, attrs: Attrs, otel: OtelSpan): CallState | undefined {
    const info = operationInfo(operationId);
    const state = {
      operation: operationId,
      info,
      otel,
      steps: 0,
      step: undefined,
      stepLastEnd: undefined,
      children: [],
    };
    const call = this.integration.startCall({
      name: nonEmpty(attrs["ai.telemetry.functionId"]) ?? operationId,
      kind: info.kind,
      identity: identityFromRecord({
        userId: meta(attrs, "userId"),
        sessionId: meta(attrs, "sessionId"),
        traceId: meta(attrs, "traceId"),
        tags: meta(attrs, "tags"),
      }),
      state: state as unknown as CallState,
      // A stream cancelled without an abort signal never ends its root span.
      onAbandon: (c) => this.finishCall(c.state, undefined, undefined),
    });
    if (!call) return undefined;
    return Object.assign(state, { call }) as CallState;
  }

  close(span: OtelSpan, endTime: number): void {
    const { core, call: state } = span;
    if (!core) return;
    if (state && core === state.call.span) return this.finishCall(state, span.error, endTime);
    if (state) {
      state.call.touch();
      state.stepLastEnd = endTime;
    }
    const kind = core.kind;
    const fill =
      kind === "LLM"
        ? this.finishModelCall
        : kind === "EMBEDDING"
          ? this.finishEmbedding
          : kind === "TOOL"
            ? this.finishTool
            : undefined;
    const error = span.error;
    if (!fill) return core.end({ error, endTime });
    // The attributes are read off the caller's path; the span ends at the time the AI SDK ended it.
    deferRecording(() => {
      try {
        fill.call(this, core, span);
      } finally {
        core.end({ error, endTime });
      }
    });
  }

  /** Reads a span's attributes once and lets go of the AI SDK's records. */
  private collect(span: OtelSpan): SpanAttributes {
    const attributes = collectAttributes(span.bags);
    span.bags.length = 0;
    return attributes;
  }

  private finishModelCall(core: Span, span: OtelSpan): void {
    const a = this.collect(span);
    const attrs = a.attrs;
    const params = modelParameters(a);
    if (params) core.setModelParameters(params);
    const model = nonEmpty(attrs["ai.response.model"]) ?? nonEmpty(attrs["ai.model.id"]);
    if (model) core.setModel(model);
    core.setInput(modelInput(attrs));
    const usage = modelUsage(a);
    if (usage) core.setTokenUsage(usage);
    const ttfc = msToFirstChunk(attrs);
    if (ttfc !== undefined) core.setCompletionStartTime(span.startedAt + ttfc);
    else if (span.firstChunkAt !== undefined) core.setCompletionStartTime(span.firstChunkAt);
    const metadata = compact({
      [META.PROVIDER]: attrs["ai.model.provider"],
      [META.FINISH_REASON]: attrs["ai.response.finishReason"],
      [META.RESPONSE_ID]: attrs["ai.response.id"],
    });
    if (metadata) core.setMetadata(metadata);
    const output = responseOutput(attrs);
    if (output !== undefined) core.setOutput(output);
  }

  private finishEmbedding(core: Span, span: OtelSpan): void {
    const a = this.collect(span);
    const usage = modelUsage(a);
    if (usage) core.setTokenUsage(usage);
    core.setInput(rootInput(a.attrs));
    const output = embeddingCount(a.attrs);
    if (output !== undefined) core.setOutput(output);
  }

  private finishTool(core: Span, span: OtelSpan): void {
    const attrs = this.collect(span).attrs;
    core.setInput(parseJsonOrRaw(attrs["ai.toolCall.args"] ?? attrs["ai.toolCall.input"]));
    const metadata = compact({ [META.TOOL_CALL_ID]: attrs["ai.toolCall.id"] });
    if (metadata) core.setMetadata(metadata);
    const output = parseJsonOrRaw(attrs["ai.toolCall.result"] ?? attrs["ai.toolCall.output"]);
    if (output !== undefined) core.setOutput(output);
  }

  /** Ends a call: open children first (an aborted stream leaves its model call open), then its step and root. */
  private finishCall(state: CallState, error: unknown, endTime: number | undefined): void {
    const call = state.call;
    this.owners.delete(call.span);
    const childError = error ?? call.abandoned?.error ?? INTERRUPTED;
    for (const otel of state.children) {
      if (!otel.core) continue;
      this.owners.delete(otel.core);
      if (otel.ended) continue;
      otel.ended = true;
      otel.core.end({ error: childError });
    }
    state.children.length = 0;
    this.endStep(state);
    // Output only when the AI SDK ended the root itself (not for a stale or abandoned call).
    const withOutput = state.otel.ended;
    call.end(() => this.finishRoot(state, withOutput, error, endTime));
  }

  private finishRoot(state: CallState, withOutput: boolean, error: unknown, endTime: number | undefined): CallEnd {
    const a = this.collect(state.otel);
    const attrs = a.attrs;
    const identity = identityFromRecord(a.metadata);
    const input = rootInput(attrs);
    if (input !== undefined) state.call.span.setInput(input);
    return {
      error,
      endTime,
      metadata: compact({
        ...identity.metadata,
        [META.OPERATION]: state.operation,
        [META.FUNCTION_ID]: attrs["ai.telemetry.functionId"],
        [META.PROVIDER]: attrs["ai.model.provider"],
        [META.MODEL]: attrs["ai.model.id"],
        [META.FINISH_REASON]: withOutput ? attrs["ai.response.finishReason"] : undefined,
      }),
      traceMetadata: identity.metadata,
      output: withOutput ? (state.info.isEmbedding ? embeddingCount(attrs) : responseOutput(attrs)) : undefined,
    };
  }

  private endStep(state: CallState): void {
    if (!state.step) return;
    state.step.end({ endTime: state.stepLastEnd });
    state.step = undefined;
  }
}

/**
 * An OpenTelemetry `Tracer` for `experimental_telemetry: { isEnabled: true, tracer }` (AI SDK 5
 * and 6). Per-call user/session: `experimental_telemetry.metadata: { userId, sessionId, traceId, tags }`.
 * It registers nothing globally and leaves any OpenTelemetry setup of the app alone.
 *
 * @example
 * const tracer = createPandaProbeTracer({ tags: ["chat"] });
 * await generateText({ model, prompt, experimental_telemetry: { isEnabled: true, tracer, metadata: { userId: "u-1" } } });
 */
export function createPandaProbeTracer(options: PandaProbeAiOptions = {}): Tracer {
  return new PandaProbeTracer(options) as unknown as Tracer;
}
