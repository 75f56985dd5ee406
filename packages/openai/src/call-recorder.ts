/**
 * One traced OpenAI call: opens its span (a child of the current span, or a standalone trace that is
 * never made current, so it cannot leak into later calls) and closes it exactly once. Only what cannot
 * wait is read at call time; model parameters, metadata and normalised input are built at the end.
 */
import { extractLastUserMessage, normalizeTokenUsage, startInactiveSpan } from "@pandaprobe/core";
import type { Span, SpanOptions, Trace } from "@pandaprobe/core";
import { readCallOptions, readHelperMethod } from "./call-options.js";
import type { Endpoint, StreamAccumulator } from "./endpoint.js";
import { describeError } from "./errors.js";
import { unwatch } from "./safety-net.js";
import type { Loose } from "./shapes.js";
import type { OpenAICallOptions, WrapOpenAIOptions } from "./types.js";

/** What an endpoint adapter extracted from a result (or a stream's aggregate). */
export interface CallResult {
  /** Span output. */
  output?: unknown;
  /** Output of a standalone trace (default: the span output; an explicit `undefined` sets none). */
  traceOutput?: unknown;
  /** The model the API reports (overrides the requested one). */
  model?: unknown;
  /** Raw usage object as OpenAI sent it; `undefined` marks the span `usage_unavailable`. */
  usage?: unknown;
  metadata?: Record<string, unknown>;
  /** An error to record (the span becomes ERROR). */
  error?: unknown;
  endTime?: number;
}

// Fields are `declare`d and assigned in the constructor, in one fixed order: no class-field
// [[Define]] per field (measurable on this per-call object) and one hidden class for every call.
export class CallRecorder {
  declare readonly span: Span;
  /** True when this call created its own (standalone) trace. */
  declare readonly standalone: boolean;
  declare readonly startTime: number;
  /** Set once the span is closed; every later event is ignored. */
  declare done: boolean;
  /** True once the caller asked for the parsed result (`await`, `.then`, `.withResponse()`). */
  declare parsing: boolean;
  /** Metadata known before the end (`request_id`, `include_usage_injected`). */
  declare early: Record<string, unknown> | undefined;
  /** The stream being observed, once there is one (see instrument-stream). */
  declare acc: StreamAccumulator | undefined;
  declare controller: AbortController | undefined;
  /** Reads since the idle timer last looked, and whether a read is pending (safety net). */
  declare reads: number;
  declare seenReads: number;
  declare reading: boolean;
  /** Safety-net state (see safety-net). */
  declare registered: boolean;
  declare timer: ReturnType<typeof setTimeout> | undefined;

  private declare readonly endpoint: Endpoint;
  private declare readonly params: Loose;
  private declare readonly wrap: WrapOpenAIOptions;
  private declare readonly raw: unknown;
  private declare readonly callOptions: OpenAICallOptions | undefined;
  private declare readonly helper: string | undefined;

  constructor(endpoint: Endpoint, params: Loose, requestOptions: unknown, wrap: WrapOpenAIOptions, parent: Span | undefined, trace: Trace | undefined) {
    const startTime = Date.now();
    const callOptions = readCallOptions(requestOptions);
    const captured = endpoint.capture(params);
    const name = callOptions?.name ?? endpoint.name;
    this.endpoint = endpoint;
    this.params = params;
    this.wrap = wrap;
    this.raw = captured.raw;
    this.callOptions = callOptions;
    this.helper = readHelperMethod(requestOptions);
    this.startTime = startTime;
    this.standalone = !parent && !trace;
    this.done = false;
    this.parsing = false;
    this.early = undefined;
    this.acc = undefined;
    this.controller = undefined;
    this.reads = 0;
    this.seenReads = 0;
    this.reading = false;
    this.registered = false;
    this.timer = undefined;
    const options: SpanOptions = {
      kind: endpoint.kind,
      input: captured.input,
      model: typeof params.model === "string" ? params.model : undefined,
      startTime,
      parent,
    };
    if (parent) this.span = parent.trace.startSpan(name, options);
    else if (trace) this.span = trace.startSpan(name, options);
    else {
      const tags = wrap.tags || callOptions?.tags ? [...(wrap.tags ?? []), ...(callOptions?.tags ?? [])] : undefined;
      this.span = startInactiveSpan(name, {
        ...options,
        traceName: name,
        trace: {
          // Core falls back to the context's user()/session() for the ones left undefined.
          userId: callOptions?.userId ?? wrap.userId,
          sessionId: callOptions?.sessionId ?? wrap.sessionId,
          tags,
          client: wrap.client,
          input: captured.raw === undefined ? ("traceInput" in captured ? captured.traceInput : extractLastUserMessage(captured.input)) : undefined,
        },
      });
    }
  }

  /** Adds metadata recorded at the end (before the result's own). */
  note(key: string, value: unknown): void {
    (this.early ??= {})[key] = value;
  }

  /** Records `result` and closes the span (and a standalone trace). Later calls do nothing. */
  finish(result: CallResult): void {
    if (this.done) return;
    this.done = true;
    if (this.registered || this.timer) unwatch(this);
    const span = this.span;
    const endpoint = this.endpoint;
    if (typeof result.model === "string" && result.model) span.setModel(result.model);
    const parameters = endpoint.modelParameters(this.params);
    if (parameters) span.setModelParameters(parameters);
    const input = this.raw !== undefined && endpoint.input ? endpoint.input(this.raw) : undefined;
    if (input !== undefined) span.setInput(input);
    const base = this.baseMetadata();
    const metadata: Record<string, unknown> = { ...base, ...this.early, ...result.metadata };
    const usage = result.usage === undefined || result.usage === null ? undefined : normalizeTokenUsage(result.usage);
    if (usage) span.setTokenUsage(usage);
    else metadata.usage_unavailable = true;
    if (result.error !== undefined) {
      Object.assign(metadata, describeError(result.error));
      span.setError(result.error);
    }
    span.setMetadata(metadata);
    if (this.standalone) {
      const trace = span.trace;
      if (base) trace.setMetadata(base);
      if (input !== undefined) trace.setInput(extractLastUserMessage(input));
      if ("traceOutput" in result) trace.setOutput(result.traceOutput);
      else if (result.output !== undefined) trace.setOutput(result.output);
      if (result.error !== undefined) trace.setError(result.error);
    }
    span.end({ output: result.output, endTime: result.endTime });
    // The caller may keep the stream object (and so this call) alive: release what is no longer needed.
    this.acc = undefined;
    this.controller = undefined;
  }

  /** Records a failed call (the error the caller receives, unchanged). */
  fail(error: unknown, partial?: CallResult): void {
    this.finish({ ...partial, error });
  }

  /** Wrapper and per-call metadata, plus the convenience method that issued the call. */
  private baseMetadata(): Record<string, unknown> | undefined {
    const wrap = this.wrap.metadata;
    const call = this.callOptions?.metadata;
    const helper = this.helper;
    if (!wrap && !call && !helper) return undefined;
    const out: Record<string, unknown> = { ...wrap, ...call };
    if (helper) out.openai_helper = helper;
    return out;
  }
}
