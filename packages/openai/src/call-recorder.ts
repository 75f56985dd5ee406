/**
 * One traced OpenAI call: opens its span (a child of the current span, or a standalone trace that is
 * never made current, so it cannot leak into later calls) and closes it exactly once.
 */
import {
  extractLastUserMessage,
  getCurrentSessionId,
  getCurrentSpan,
  getCurrentTrace,
  getCurrentUserId,
  normalizeTokenUsage,
  startInactiveSpan,
} from "@pandaprobe/core";
import type { Span, SpanKind } from "@pandaprobe/core";
import { describeError } from "./errors.js";
import type { OpenAICallOptions, WrapOpenAIOptions } from "./types.js";

/** What an endpoint adapter extracted from a request. */
export interface CallStart {
  /** Span input (`{ messages }` for chat and responses, the raw input for embeddings). */
  input: unknown;
  model: unknown;
  modelParameters: Record<string, unknown> | undefined;
  /** Input of a standalone trace (default: the last user message of `input`). */
  traceInput?: unknown;
}

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
  parseRequested = false;
  /** Last time the caller pulled from the stream (for the abandoned-stream timeout). */
  lastActivity = 0;
  /** True while a `next()` of the observed stream is pending (the caller is reading). */
  reading = false;
  /** Clears the safety nets watching this call; set by `watch()`. */
  unwatch: (() => void) | undefined;

  constructor(name: string, kind: SpanKind, start: CallStart, wrap: WrapOpenAIOptions, call: OpenAICallOptions | undefined, helper: string | undefined) {
    this.startTime = Date.now();
    const parent = getCurrentSpan();
    this.standalone = !parent && !getCurrentTrace();
    const spanName = call?.name ?? name;
    const metadata = mergeMetadata(wrap.metadata, call?.metadata, helper);
    this.span = startInactiveSpan(spanName, {
      kind,
      input: start.input,
      model: typeof start.model === "string" ? start.model : undefined,
      modelParameters: start.modelParameters,
      metadata,
      startTime: this.startTime,
      traceName: spanName,
      trace: this.standalone ? traceOptions(wrap, call, start, metadata) : undefined,
    });
  }

  /** Records `result` and closes the span (and a standalone trace). Later calls do nothing. */
  finish(result: CallResult): void {
    if (this.done) return;
    this.done = true;
    this.unwatch?.();
    const span = this.span;
    if (typeof result.model === "string" && result.model) span.setModel(result.model);
    const metadata: Record<string, unknown> = { ...result.metadata };
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
}

function mergeMetadata(
  wrap: Record<string, unknown> | undefined,
  call: Record<string, unknown> | undefined,
  helper: string | undefined,
): Record<string, unknown> | undefined {
  if (!wrap && !call && !helper) return undefined;
  const out: Record<string, unknown> = { ...wrap, ...call };
  if (helper) out.openai_helper = helper;
  return out;
}

function traceOptions(wrap: WrapOpenAIOptions, call: OpenAICallOptions | undefined, start: CallStart, metadata: Record<string, unknown> | undefined) {
  const tags = wrap.tags || call?.tags ? [...(wrap.tags ?? []), ...(call?.tags ?? [])] : undefined;
  return {
    userId: call?.userId ?? wrap.userId ?? getCurrentUserId(),
    sessionId: call?.sessionId ?? wrap.sessionId ?? getCurrentSessionId(),
    tags,
    metadata,
    client: wrap.client,
    input: "traceInput" in start ? start.traceInput : extractLastUserMessage(start.input),
  };
}
