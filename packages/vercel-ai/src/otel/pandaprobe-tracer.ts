import {
  getCurrentSpan,
  getCurrentTrace,
  guard,
  nowMs,
  startInactiveSpan,
  withSpan,
  type Span,
} from "@pandaprobe/core";
import type { Tracer } from "@opentelemetry/api";
import { operationInfo } from "../shared/operations.js";
import {
  DEFAULT_STALE_CALL_TIMEOUT_MS,
  identityFrom,
  traceOptionsFor,
  type PandaProbeAiOptions,
} from "../shared/options.js";
import { StaleSweeper } from "../shared/stale-sweeper.js";
import { clean } from "../shared/values.js";
import { parseJson } from "../shared/messages.js";
import {
  collectAttributes,
  contentFilter,
  embeddingCount,
  METADATA_PREFIX,
  modelInput,
  modelParameters,
  modelUsage,
  msToFirstChunk,
  responseOutput,
  rootInput,
  type Attrs,
  type SpanAttributes,
} from "./map-attributes.js";
import { OtelSpan, type CallState, type OtelSpanOwner } from "./otel-span.js";

const ROOT_OPERATIONS = new Set([
  "ai.generateText",
  "ai.streamText",
  "ai.generateObject",
  "ai.streamObject",
  "ai.embed",
  "ai.embedMany",
]);
const NO_ATTRIBUTES: Attrs = Object.freeze({}) as Attrs;
const USER_ID = `${METADATA_PREFIX}userId`;
const SESSION_ID = `${METADATA_PREFIX}sessionId`;
const TAGS = `${METADATA_PREFIX}tags`;
const TRACE_ID = `${METADATA_PREFIX}traceId`;
const INTERRUPTED = "interrupted: the call ended before this span (aborted stream?)";

const isModelCall = (name: string) => name.endsWith(".doGenerate") || name.endsWith(".doStream");
const nonEmpty = (v: unknown) => (typeof v === "string" && v ? v : undefined);

/**
 * Turns the AI SDK's OpenTelemetry spans (`ai.*`, v5 and v6) into PandaProbe traces.
 * Parenting comes from PandaProbe's own async context, so no global OTel provider or context
 * manager is needed or registered.
 *
 * On the AI SDK's path it only creates and ends spans; reading the attributes (JSON parsing,
 * usage, settings, metadata) happens in each span's `finalize`, when core serialises it.
 */
class PandaProbeTracer implements OtelSpanOwner {
  private readonly calls: StaleSweeper<Span, CallState>;
  /** Core spans (root, model call, tool) → their call; removed when the call ends. */
  private readonly owners = new Map<Span, CallState>();
  private readonly inputs: boolean;
  private readonly outputs: boolean;
  private readonly keep: ((key: string) => boolean) | undefined;

  constructor(private readonly options: PandaProbeAiOptions) {
    this.inputs = options.recordInputs !== false;
    this.outputs = options.recordOutputs !== false;
    this.keep = contentFilter(this.inputs, this.outputs);
    this.calls = new StaleSweeper(options.staleCallTimeoutMs ?? DEFAULT_STALE_CALL_TIMEOUT_MS, (_root, call) => {
      this.finishCall(call, new Error("the AI SDK call reported no end (stream cancelled or abandoned)"), undefined);
    });
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
    const call = current ? this.owners.get(current) : undefined;
    const now = Date.now(); // activity clock (the stale-call sweeper)
    // Span clock: core's own (`nowMs`), so completion_start_time (startedAt + msToFirstChunk) is never
    // before started_at, as it could be with Date.now() (whole ms, and drifting from the monotonic clock).
    span.startedAt = nowMs();
    let core: Span;
    let owner = call;
    if (ROOT_OPERATIONS.has(name)) {
      owner = this.openCall(name, attrs, span, now, current === undefined);
      core = owner.root;
    } else if (call && isModelCall(name)) {
      call.lastActivity = now;
      if (call.info.hasSteps) {
        this.endStep(call);
        call.step = call.root.startSpan(`step ${call.steps++}`, { kind: "CHAIN" });
      }
      core = (call.step ?? call.root).startSpan(name, {
        kind: "LLM",
        model: attrs["ai.model.id"] as string | undefined,
        startTime: span.startedAt,
      });
    } else if (call && name.endsWith(".doEmbed")) {
      core = call.root.startSpan(name, { kind: "EMBEDDING", model: attrs["ai.model.id"] as string | undefined });
    } else if (call && name === "ai.toolCall") {
      core = (call.step ?? call.root).startSpan(String(attrs["ai.toolCall.name"] ?? "tool"), { kind: "TOOL" });
    } else {
      core = startInactiveSpan(name, { kind: name === "ai.toolCall" ? "TOOL" : "OTHER" });
    }
    if (owner) {
      this.owners.set(core, owner);
      if (core !== owner.root) owner.children.push(span);
    }
    span.core = core;
    span.call = owner;
    return span;
  }

  /** Starts a call's root span; only what the trace needs now (user, session, tags) is read here. */
  private openCall(operationId: string, attrs: Attrs, otel: OtelSpan, now: number, noSpan: boolean): CallState {
    const info = operationInfo(operationId);
    const name = nonEmpty(attrs["ai.telemetry.functionId"]) ?? operationId;
    const standalone = noSpan && getCurrentTrace() === undefined;
    const tags = attrs[TAGS];
    const identity = {
      userId: nonEmpty(attrs[USER_ID]),
      sessionId: nonEmpty(attrs[SESSION_ID]),
      traceId: nonEmpty(attrs[TRACE_ID]),
      tags: Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : undefined,
    };
    // The trace's input/output come from this span (core reads them when the trace is queued).
    const root = startInactiveSpan(name, {
      kind: info.kind,
      traceName: name,
      trace: traceOptionsFor(this.options, identity),
    });
    const call: CallState = {
      lastActivity: now,
      operation: operationId,
      info,
      root,
      otel,
      standalone,
      steps: 0,
      step: undefined,
      stepLastEnd: undefined,
      children: [],
    };
    // Only a stream can be left without an end (cancelled): other calls always end their root span.
    if (info.isStream) this.calls.set(root, call);
    return call;
  }

  close(span: OtelSpan, endTime: number | undefined): void {
    const { core, call } = span;
    if (!core) return;
    if (call && core === call.root) {
      this.finishCall(call, span.error, endTime);
      return;
    }
    if (call) {
      call.lastActivity = Date.now();
      call.stepLastEnd = endTime ?? call.lastActivity;
    }
    const kind = core.kind;
    const finalize =
      kind === "LLM"
        ? this.finishModelCall
        : kind === "EMBEDDING"
          ? this.finishEmbedding
          : kind === "TOOL"
            ? this.finishTool
            : undefined;
    core.end({ error: span.error, endTime, finalize: finalize && ((s: Span) => finalize.call(this, s, span)) });
  }

  /** Reads a span's attributes once and lets go of the AI SDK's records. */
  private collect(span: OtelSpan): SpanAttributes {
    const attributes = collectAttributes(span.bags, this.keep);
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
    const metadata = clean({
      provider: attrs["ai.model.provider"],
      finish_reason: attrs["ai.response.finishReason"],
      response_id: attrs["ai.response.id"],
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
    core.setInput(parseJson(attrs["ai.toolCall.args"] ?? attrs["ai.toolCall.input"]));
    core.setMetadata(clean({ tool_call_id: attrs["ai.toolCall.id"] }) ?? {});
    const output = parseJson(attrs["ai.toolCall.result"] ?? attrs["ai.toolCall.output"]);
    if (output !== undefined) core.setOutput(output);
  }

  /** Ends a call's root: open children first (an aborted stream leaves its model call open). */
  private finishCall(call: CallState, error: unknown, endTime: number | undefined): void {
    if (call.info.isStream) this.calls.delete(call.root);
    this.owners.delete(call.root);
    for (const otel of call.children) {
      if (!otel.core) continue;
      this.owners.delete(otel.core);
      if (otel.ended) continue;
      otel.ended = true;
      otel.core.end({ error: error ?? INTERRUPTED });
    }
    call.children.length = 0;
    this.endStep(call);
    // Output only when the AI SDK ended the root itself (not for a stale or abandoned call).
    const withOutput = call.otel.ended;
    call.root.end({ error, endTime, finalize: (root) => this.finishRoot(root, call, withOutput) });
  }

  private finishRoot(root: Span, call: CallState, withOutput: boolean): void {
    const a = this.collect(call.otel);
    const attrs = a.attrs;
    const operation = call.operation;
    const identity = identityFrom(a.metadata);
    if (identity.metadata && call.standalone) root.trace.setMetadata(identity.metadata);
    const metadata = clean({
      ...this.options.metadata,
      ...identity.metadata,
      operation,
      function_id: attrs["ai.telemetry.functionId"],
      provider: attrs["ai.model.provider"],
      model: attrs["ai.model.id"],
      finish_reason: withOutput ? attrs["ai.response.finishReason"] : undefined,
    });
    if (metadata) root.setMetadata(metadata);
    if (this.inputs) {
      const input = rootInput(attrs);
      if (input !== undefined) root.setInput(input);
    }
    if (!withOutput) return;
    const output = call.info.isEmbedding ? embeddingCount(attrs) : responseOutput(attrs);
    if (output !== undefined) root.setOutput(output);
  }

  private endStep(call: CallState): void {
    if (!call.step) return;
    call.step.end({ endTime: call.stepLastEnd });
    call.step = undefined;
  }
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
