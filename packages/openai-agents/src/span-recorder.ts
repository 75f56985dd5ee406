/**
 * Records the spans of one Agents SDK trace under its kit call: a PandaProbe span per SDK span (under the span of
 * its SDK parent), ended with what the SDK span holds when it ends, and the run's end (normal, failed, abandoned).
 * Only cheap work runs when an event arrives; reading span data (messages, usage) runs when the span is recorded,
 * off the run's path (`span.end({ finalize })`, `call.end(fn)`).
 */
import type { Span } from "@pandaprobe/core";
import { type Call, META, nowMs } from "@pandaprobe/core/integration";
import { type SpanFailure, spanFailure } from "./extract/errors.js";
import { generationCall, type ModelCall, responseCall } from "./extract/llm.js";
import { spanEnd, spanStart } from "./extract/span-data.js";
import type { SpanEntry, TraceRun } from "./trace-run.js";
import type { AgentsSpan } from "./types.js";

export type RunCall = Call<TraceRun>;

const MODEL_TYPES = new Set(["response", "generation"]);

/** The entry of an SDK span, made when its start arrives (or when something needs it first). */
export function startEntry(call: RunCall, sdk: AgentsSpan, event: string | null): SpanEntry {
  const run = call.state;
  const known = run.spans.get(sdk.spanId);
  if (known) return known;
  const data = sdk.spanData;
  const parent = sdk.parentId ? run.spans.get(sdk.parentId) : undefined;
  const model = MODEL_TYPES.has(data.type);
  // A run's task span alone in its trace repeats the root (same name, same extent): the root records it.
  const folded = data.type === "task" && !sdk.parentId && data.name === run.name;
  let span: Span;
  if (folded) span = call.span;
  else {
    const { name, kind } = spanStart(data);
    span = (parent?.span ?? call.span).startSpan(name, { kind, startTime: run.time(event, sdk.startedAt) });
  }
  const entry: SpanEntry = { sdk, span, parent, folded, model, ended: false };
  // A tool span executes a function call of the model call before it (the latest under the same parent).
  if (data.type === "function") entry.callsFrom = parent?.callsFrom;
  run.spans.set(sdk.spanId, entry);
  if (model) {
    run.openModelCalls++;
    call.busy = true;
  }
  return entry;
}

/**
 * Ends an entry with its SDK span's end. `incomplete`: the run ended while the SDK span was still open (it is closed
 * at once, with `abandoned` as its error when the run was abandoned).
 */
export function endEntry(call: RunCall, entry: SpanEntry, incomplete?: { error?: unknown }): void {
  if (entry.ended) return;
  entry.ended = true;
  const run = call.state;
  const sdk = entry.sdk;
  if (entry.model) {
    run.openModelCalls--;
    call.busy = run.openModelCalls > 0;
    noteModelCall(run, entry);
  }
  if (entry.folded) return;
  const failure = incomplete ? undefined : spanFailure(sdk.error, entry.model);
  entry.span.end({
    endTime: incomplete ? nowMs() : run.time(sdk.endedAt),
    error: incomplete ? incomplete.error : failure?.error,
    finalize: (span) => record(span, entry, failure, incomplete !== undefined),
  });
}

/** Ends the run: its still-open spans (the SDK's delayed ends with their data, the others as incomplete), then the root. */
export function finishRun(call: RunCall, abandoned?: { error?: unknown }): void {
  const run = call.state;
  if (run.ended) return;
  run.ended = true;
  const open = [...run.spans.values()].filter((e) => !e.ended).reverse(); // children before their parents
  // Spans the SDK has ended (their end events are on their way) are recorded from their own data.
  for (const entry of open) endEntry(call, entry, entry.sdk.endedAt !== null ? undefined : (abandoned ?? {}));
  const failure = run.failure;
  call.end(() => {
    const first = run.firstModel && modelCall(run.firstModel);
    if (first?.input) call.span.setInput(first.input);
    return {
      output: run.lastModel && modelCall(run.lastModel).output,
      error: failure?.error,
      metadata: failure?.metadata,
    };
  });
}

/** A model call ended: the AGENT/task spans above it and the root take its input (first) and output (last). */
function noteModelCall(run: TraceRun, entry: SpanEntry): void {
  run.firstModel ??= entry;
  run.lastModel = entry;
  if (entry.parent) entry.parent.callsFrom = entry;
  for (let e = entry.parent; e; e = e.parent) {
    const kind = e.span.kind;
    if (kind !== "AGENT" && !(e.sdk.spanData.type === "task" && !e.folded)) continue;
    e.firstModel ??= entry;
    e.lastModel = entry;
  }
}

/** What a model call span recorded, read once. */
function modelCall(entry: SpanEntry): ModelCall {
  if (!entry.call) {
    const data = entry.sdk.spanData;
    entry.call = data.type === "generation" ? generationCall(data) : responseCall(data);
  }
  return entry.call;
}

/** The tool call id of a function span: the matching function call of the model call before it. */
function toolCallId(entry: SpanEntry): string | undefined {
  const from = entry.callsFrom;
  if (!from) return undefined;
  const data = entry.sdk.spanData;
  const matched = (from.matched ??= new Set());
  const calls = modelCall(from).calls.filter((c) => !matched.has(c.id) && c.name === data.name);
  const call = calls.find((c) => c.arguments === data.input) ?? calls[0];
  if (call) matched.add(call.id);
  return call?.id;
}

/** Fills an ended span from its SDK span's data (runs when the span is recorded). */
function record(span: Span, entry: SpanEntry, failure: SpanFailure | undefined, incomplete: boolean): void {
  if (failure?.metadata) span.setMetadata(failure.metadata);
  if (incomplete) span.setMetadata({ [META.INCOMPLETE]: true });
  const data = entry.sdk.spanData;
  if (entry.model) {
    const call = modelCall(entry);
    if (call.input) span.setInput(call.input);
    if (call.output) span.setOutput(call.output);
    if (call.model) span.setModel(call.model);
    if (call.usage) span.setTokenUsage(call.usage);
    if (call.modelParameters) span.setModelParameters(call.modelParameters);
    if (call.metadata) span.setMetadata(call.metadata);
    return;
  }
  if (entry.firstModel) {
    const input = modelCall(entry.firstModel).input;
    if (input) span.setInput(input);
  }
  if (entry.lastModel) {
    const output = modelCall(entry.lastModel).output;
    if (output) span.setOutput(output);
  }
  const end = spanEnd(data);
  if (!end) return;
  if (end.input !== undefined) span.setInput(end.input);
  if (end.output !== undefined) span.setOutput(end.output);
  if (end.model) span.setModel(end.model);
  if (end.modelParameters) span.setModelParameters(end.modelParameters);
  if (end.metadata) span.setMetadata(end.metadata);
  if (data.type === "function") {
    const id = toolCallId(entry);
    if (id) span.setMetadata({ [META.TOOL_CALL_ID]: id });
  }
}
