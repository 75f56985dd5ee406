/**
 * One traced OpenAI call. On the caller's path it only notes what cannot wait (the time, the request's
 * input arrays, the context's parent/user/session) and, at the end, the end time. Everything else
 * (the standalone trace and span, model parameters, metadata, normalised input and output) is built
 * by a batched deferred job (`deferRecording`, within about 100 ms), which `flush()` drains first.
 * A call inside a trace opens its child span at once, so the enclosing trace waits for it.
 */
import { deferRecording, extractLastUserMessage, normalizeTokenUsage, nowMs, startTrace } from "@pandaprobe/core";
import type { CurrentContext, PandaProbe, Span, SpanOptions } from "@pandaprobe/core";
import { readCallOptions, readHelperMethod } from "./call-options.js";
import type { Captured, Endpoint, StreamAccumulator } from "./endpoint.js";
import { describeError } from "./errors.js";
import { report } from "./report.js";
import { requestMetadata } from "./request-id.js";
import { unwatch, type Young } from "./safety-net.js";
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
  /** True when this call creates its own (standalone) trace. */
  declare readonly standalone: boolean;
  declare readonly startTime: number;
  /** Set once the call has stopped (end time noted); every later event is ignored. */
  declare done: boolean;
  /** True once the caller asked for the parsed result (`await`, `.then`, `.withResponse()`). */
  declare parsing: boolean;
  /** Metadata known before the end (`request_id`, `include_usage_injected`). */
  declare early: Record<string, unknown> | undefined;
  /** The SDK's response properties of a streamed call (its request id is read when recording). */
  declare response: unknown;
  /** The stream being observed, once there is one (see instrument-stream). */
  declare acc: StreamAccumulator | undefined;
  declare controller: AbortController | undefined;
  /** Reads so far, and whether a read is pending (safety net). */
  declare reads: number;
  declare reading: boolean;
  /** Safety-net state (see safety-net): registered for GC, and the idle watch of a stream. */
  declare registered: boolean;
  declare idleMs: number;
  declare idleSince: number;
  declare seenReads: number;
  /** Set while the call waits for its nets (see safety-net `watchLater`). */
  declare young: Young | undefined;

  declare readonly endpoint: Endpoint;
  declare private opened: Span | undefined;
  declare private readonly params: Loose;
  declare private readonly wrap: WrapOpenAIOptions;
  declare private readonly captured: Captured;
  declare private readonly callOptions: OpenAICallOptions | undefined;
  declare private readonly requestOptions: unknown;
  /** The context when the call was made: the span goes under its span, else into its trace, else a standalone trace for `client`. */
  declare private readonly context: CurrentContext;
  declare private readonly client: PandaProbe | undefined;
  declare private endTime: number;
  declare private firstTokenTime: number | undefined;
  declare private pending: CallResult | (() => CallResult) | undefined;

  constructor(
    endpoint: Endpoint,
    params: Loose,
    requestOptions: unknown,
    wrap: WrapOpenAIOptions,
    context: CurrentContext,
    client: PandaProbe | undefined,
  ) {
    const startTime = nowMs();
    const callOptions = readCallOptions(requestOptions);
    this.endpoint = endpoint;
    this.params = params;
    this.wrap = wrap;
    this.captured = endpoint.capture(params);
    this.callOptions = callOptions;
    this.requestOptions = requestOptions;
    this.context = context;
    this.client = client;
    this.startTime = startTime;
    this.standalone = !context.span && !context.trace;
    this.done = false;
    this.parsing = false;
    this.early = undefined;
    this.response = undefined;
    this.acc = undefined;
    this.controller = undefined;
    this.reads = 0;
    this.reading = false;
    this.registered = false;
    this.idleMs = 0;
    this.idleSince = 0;
    this.seenReads = 0;
    this.young = undefined;
    this.endTime = startTime;
    this.firstTokenTime = undefined;
    this.pending = undefined;
    // A child span is opened now: the enclosing trace must wait for it.
    this.opened = this.standalone ? undefined : this.open(callOptions?.name ?? endpoint.name);
  }

  /** The call's span (a standalone call's trace and span are created on first use, usually in the deferred job). */
  get span(): Span {
    return (this.opened ??= this.open(this.callOptions?.name ?? this.endpoint.name));
  }

  /** Whether the request asked for a stream. */
  get streaming(): boolean {
    return this.params.stream === true;
  }

  /** Idle time after which an unread stream is closed as abandoned (0: never). */
  get streamTimeoutMs(): number {
    return this.wrap.abandonedStreamTimeoutMs ?? 0;
  }

  /** Notes the first content/tool-call delta of a stream (`completion_start_time`). */
  firstToken(): void {
    if (this.firstTokenTime === undefined) this.firstTokenTime = nowMs();
  }

  /** Adds metadata recorded at the end (before the result's own). */
  note(key: string, value: unknown): void {
    (this.early ??= {})[key] = value;
  }

  /**
   * The call stopped: notes the end time and stops the safety nets now; `result` (or the function that
   * builds it, run off the caller's path) is recorded by the deferred job. Later calls do nothing.
   */
  finish(result: CallResult | (() => CallResult)): void {
    if (this.done) return;
    this.done = true;
    this.endTime = nowMs();
    if (this.registered || this.idleMs > 0 || this.young) unwatch(this);
    this.pending = result;
    deferRecording(() => this.record());
  }

  /** Records a failed call (the error the caller receives, unchanged). */
  fail(error: unknown, partial?: CallResult): void {
    this.finish({ ...partial, error });
  }

  private open(name: string): Span {
    const { span: parent, trace } = this.context;
    const captured = this.captured;
    const options: SpanOptions = {
      kind: this.endpoint.kind,
      input: captured.input,
      model: typeof this.params.model === "string" ? this.params.model : undefined,
      startTime: this.startTime,
      parent,
    };
    if (parent) return parent.trace.startSpan(name, options);
    if (trace) return trace.startSpan(name, options);
    const wrap = this.wrap;
    const call = this.callOptions;
    const tags = wrap.tags || call?.tags ? [...(wrap.tags ?? []), ...(call?.tags ?? [])] : undefined;
    const standalone = startTrace(name, {
      client: this.client,
      traceId: call?.traceId,
      tags,
      startTime: this.startTime,
      input:
        captured.raw === undefined
          ? "traceInput" in captured
            ? captured.traceInput
            : extractLastUserMessage(captured.input)
          : undefined,
    });
    // User and session as they were when the call was made (explicit per call > wrapper > context), never
    // the context this runs in.
    standalone.setUserId(call?.userId ?? wrap.userId ?? this.context.userId);
    standalone.setSessionId(call?.sessionId ?? wrap.sessionId ?? this.context.sessionId);
    return standalone.startSpan(name, options);
  }

  /** The deferred job: builds the result and records it on the span (and a standalone trace). */
  private record(): void {
    const pending = this.pending;
    this.pending = undefined;
    let result: CallResult;
    try {
      result = (typeof pending === "function" ? pending() : pending) ?? {};
    } catch (error) {
      report("openai.result", error);
      result = { metadata: { pandaprobe_result_error: true } };
    }
    const span = this.span;
    const endpoint = this.endpoint;
    if (typeof result.model === "string" && result.model) span.setModel(result.model);
    const parameters = endpoint.modelParameters(this.params);
    if (parameters) span.setModelParameters(parameters);
    const raw = this.captured.raw;
    const input = raw !== undefined && endpoint.input ? endpoint.input(raw) : undefined;
    if (input !== undefined) span.setInput(input);
    if (this.firstTokenTime !== undefined) span.setCompletionStartTime(this.firstTokenTime);
    const base = this.baseMetadata();
    const metadata: Record<string, unknown> = {
      ...base,
      ...this.early,
      ...(this.response === undefined ? undefined : requestMetadata(undefined, this.response)),
      ...result.metadata,
    };
    const usage = result.usage === undefined || result.usage === null ? undefined : normalizeTokenUsage(result.usage);
    if (usage) span.setTokenUsage(usage);
    else metadata.usage_unavailable = true;
    if (result.error !== undefined) {
      Object.assign(metadata, describeError(result.error));
      span.setError(result.error);
    }
    span.setMetadata(metadata);
    const endTime = result.endTime ?? this.endTime;
    span.end({ output: result.output, endTime });
    if (this.standalone) {
      const trace = span.trace;
      if (base) trace.setMetadata(base);
      if (input !== undefined) trace.setInput(extractLastUserMessage(input));
      if ("traceOutput" in result) trace.setOutput(result.traceOutput);
      else if (result.output !== undefined) trace.setOutput(result.output);
      if (result.error !== undefined) trace.setError(result.error);
      trace.end({ endTime });
    }
    // The caller may keep the stream object (and so this call) alive: release what is no longer needed.
    this.acc = undefined;
    this.controller = undefined;
    this.response = undefined;
  }

  /** Wrapper and per-call metadata, plus the convenience method that issued the call. */
  private baseMetadata(): Record<string, unknown> | undefined {
    const wrap = this.wrap.metadata;
    const call = this.callOptions?.metadata;
    const helper = readHelperMethod(this.requestOptions);
    if (!wrap && !call && !helper) return undefined;
    const out: Record<string, unknown> = { ...wrap, ...call };
    if (helper) out.openai_helper = helper;
    return out;
  }
}
