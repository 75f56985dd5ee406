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

export class CallRecorder {
  readonly span: Span;
  /** True when this call created its own (standalone) trace. */
  readonly standalone: boolean;
  readonly startTime: number;
  /** Set once the span is closed; every later event is ignored. */
  done = false;
  /** True once the caller asked for the parsed result (`await`, `.then`, `.withResponse()`). */
  parsing = false;
  /** Metadata known before the end (`request_id`, `include_usage_injected`). */
  early: Record<string, unknown> | undefined;
  /** The stream being observed, once there is one (see instrument-stream). */
  acc: StreamAccumulator | undefined;
  controller: AbortController | undefined;
  /** Reads since the idle timer last looked, and whether a read is pending (safety net). */
  reads = 0;
  seenReads = 0;
  reading = false;
  /** Safety-net state (see safety-net). */
  registered = false;
  timer: ReturnType<typeof setTimeout> | undefined;

  private readonly raw: unknown;
  private readonly callOptions: OpenAICallOptions | undefined;
  private readonly helper: string | undefined;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly params: Loose,
    requestOptions: unknown,
    private readonly wrap: WrapOpenAIOptions,
    parent: Span | undefined,
    trace: Trace | undefined,
  ) {
    this.startTime = Date.now();
    const callOptions = (this.callOptions = readCallOptions(requestOptions));
    this.helper = readHelperMethod(requestOptions);
    const captured = endpoint.capture(params);
    this.raw = captured.raw;
    const name = callOptions?.name ?? endpoint.name;
    const options: SpanOptions = {
      kind: endpoint.kind,
      input: captured.input,
      model: typeof params.model === "string" ? params.model : undefined,
      startTime: this.startTime,
      parent,
    };
    this.standalone = !parent && !trace;
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
          input: this.raw === undefined ? ("traceInput" in captured ? captured.traceInput : extractLastUserMessage(captured.input)) : undefined,
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
