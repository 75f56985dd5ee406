import type { SpanRecord } from "../serialize/records.js";
import { spanJson } from "../serialize/to-wire.js";
import type {
  Cost,
  Span,
  SpanEndOptions,
  SpanKind,
  SpanOptions,
  SpanStatus,
  TimeInput,
  TokenUsage,
  Trace,
} from "../types.js";
import { reportInternal } from "../utils/guard.js";
import { idOrNew } from "../utils/ids.js";
import { cleanTokenUsage } from "../utils/token-usage.js";
import { nowMs, toIso } from "../utils/time.js";
import { errorMessage, unreadable } from "../utils/unreadable.js";
import { splitCallback } from "./callback.js";
import { NIL_ID } from "./noop.js";
import { mergeMetadata, toKind, toMetadata, toName, toSpanStatus, toText, toTime } from "./coerce.js";
import type { SPAN_KEYS } from "./options.js";
import { readOptions } from "../utils/read-options.js";
import { runInSpan } from "./run.js";
import type { TraceSink } from "./sink.js";
import { snapshot } from "./snapshot.js";

/** A span's options as `readOptions` gives them. */
export type SpanInit = Partial<Record<(typeof SPAN_KEYS)[number], unknown>>;

const END_KEYS = ["output", "endTime", "error", "finalize"] as const;

/** Marks the SDK's own spans (by a global symbol, so a span of another copy of the package is recognised too). */
const SPAN_BRAND = Symbol.for("pandaprobe.span.v1");

/** True for a span the SDK made (never throws, whatever `value` is). */
export function isSpanImpl(value: unknown): value is SpanImpl {
  try {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[SPAN_BRAND] === true;
  } catch {
    return false;
  }
}

/** What a span needs from its trace (tracing's `TraceImpl`). */
export interface SpanOwner extends Trace {
  readonly sink: TraceSink;
  /** A span of this trace ended. */
  spanEnded(span: SpanImpl): void;
  /** A new span of this trace under `parent` (raw options, read without throwing). */
  newSpan(name: unknown, options: unknown, parent: SpanImpl | undefined): SpanImpl;
  /** `newSpan`, or the no-op span should the SDK fail to make one (reported, never thrown). */
  childSpan(name: unknown, options: unknown, parent: SpanImpl | undefined, where: string): Span;
}

/** @internal The one Span implementation. Setters store raw values; serialisation happens when the trace is queued. */
export class SpanImpl implements Span, SpanRecord {
  readonly id: string;
  readonly trace: SpanOwner;
  readonly parentId: string | undefined;
  /** @internal The parent span object (for ancestry checks). */
  readonly parent: SpanImpl | undefined;
  name: string;
  kind: SpanKind;
  status: SpanStatus = "UNSET";
  input: unknown;
  output: unknown;
  model: string | undefined;
  modelParameters: Record<string, unknown> | undefined;
  tokenUsage: TokenUsage | undefined;
  cost: Cost | undefined;
  metadata: Record<string, unknown> | undefined;
  error: string | undefined;
  completionStartMs: number | undefined;
  readonly startMs: number;
  endMs: number | undefined;
  /** The wire form as JSON text, captured after the span ends. */
  json: string | undefined;
  /** @internal Whether input and output are sent (the integration kit's `recordInputs`/`recordOutputs`); children inherit it. */
  recordInputs: boolean;
  recordOutputs: boolean;
  /** @internal The latest end of this span's ended children: the span never ends before it. */
  private childEndMs: number | undefined;
  private finalizer: ((span: Span) => void) | undefined;

  constructor(trace: SpanOwner, name: unknown, o: SpanInit, parent: SpanImpl | undefined) {
    this.trace = trace;
    this.id = idOrNew(o.spanId, "span");
    this.parent = parent;
    this.parentId = parent?.id;
    this.name = toName(name, "span name", "unnamed");
    this.kind = toKind(o.kind);
    this.startMs = withinParent(toTime(o.startTime, "span startTime") ?? nowMs(), parent);
    this.recordInputs = parent ? parent.recordInputs : true;
    this.recordOutputs = parent ? parent.recordOutputs : true;
    if (o.input !== undefined) this.input = snapshot(o.input);
    if (o.metadata !== undefined) this.metadata = toMetadata(o.metadata, "span metadata");
    if (o.model !== undefined) this.model = toText(o.model, "model");
    if (o.modelParameters !== undefined) this.setModelParameters(o.modelParameters as Record<string, unknown>);
  }

  get traceId(): string {
    return this.trace.id;
  }
  get ended(): boolean {
    return this.endMs !== undefined;
  }

  setName(name: string): this {
    const n = toText(name, "span name");
    if (n !== undefined) this.name = n;
    return this;
  }
  setKind(kind: SpanKind): this {
    this.kind = toKind(kind);
    return this;
  }
  setInput(input: unknown): this {
    this.input = snapshot(input);
    return this;
  }
  setOutput(output: unknown): this {
    this.output = snapshot(output);
    return this;
  }
  setModel(model: string | undefined): this {
    this.model = toText(model, "model");
    return this;
  }
  setModelParameters(parameters: Record<string, unknown>): this {
    if (parameters && typeof parameters === "object") this.modelParameters = parameters;
    return this;
  }
  setTokenUsage(usage: TokenUsage): this {
    this.tokenUsage = cleanTokenUsage(usage);
    return this;
  }
  setCost(cost: Cost): this {
    if (!cost || typeof cost !== "object") return this;
    const out: Cost = {};
    try {
      for (const k in cost) {
        const v = cost[k];
        if (typeof v === "number" && Number.isFinite(v)) out[k] = v;
      }
    } catch (error) {
      reportInternal("span.setCost (the cost could not be read)", error);
      return this;
    }
    this.cost = out;
    return this;
  }
  setCompletionStartTime(time?: TimeInput): this {
    if (this.completionStartMs === undefined) this.completionStartMs = toTime(time, "completion start time") ?? nowMs();
    return this;
  }
  setMetadata(metadata: Record<string, unknown>): this {
    this.metadata = mergeMetadata(this.metadata, metadata, "span metadata");
    return this;
  }
  setError(error: unknown): this {
    this.status = "ERROR";
    this.error = errorMessage(error);
    return this;
  }
  setStatus(status: SpanStatus): this {
    const s = toSpanStatus(status);
    if (s) this.status = s;
    return this;
  }
  startSpan(name: string, options?: SpanOptions): Span {
    return this.trace.childSpan(name, options, this, "span.startSpan");
  }
  withSpan<T>(name: string, optionsOrFn: unknown, fn?: (span: Span) => T): T {
    const call = splitCallback<Span, T>(optionsOrFn, fn, "span.withSpan");
    const span = this.trace.childSpan(name, call.options, this, "span.withSpan");
    return span.id === NIL_ID ? call.fn(span) : runInSpan(span, call.fn);
  }

  /** @internal True when `ancestor` is this span's parent, grandparent, ... */
  hasAncestor(ancestor: unknown): boolean {
    let p = this.parent;
    for (let depth = 0; p && depth < 1000; depth++, p = p.parent) if (p === ancestor) return true;
    return false;
  }

  end(options?: SpanEndOptions): void {
    if (this.endMs !== undefined) return;
    const o = options === undefined ? undefined : readOptions(options, END_KEYS, "span.end");
    if (o) {
      if (o.output !== undefined) this.output = snapshot(o.output);
      if (o.error !== undefined) this.setError(o.error);
      if (typeof o.finalize === "function") this.finalizer = o.finalize as (span: Span) => void;
    }
    this.endMs = this.nestedEnd(toTime(o?.endTime, "span endTime") ?? nowMs());
    if (this.completionStartMs !== undefined) this.completionStartMs = this.withinSpan(this.completionStartMs);
    if (this.status === "UNSET") this.status = "OK";
    this.trace.spanEnded(this);
  }

  /** A time inside the span (the first token of a stream is never before it starts or after it ends). */
  private withinSpan(ms: number): number {
    if (ms < this.startMs) return this.startMs;
    return this.endMs !== undefined && ms > this.endMs ? this.endMs : ms;
  }

  /**
   * `end` moved into the span's place in the tree: never before its start or its ended children's ends, never after
   * its parent's end. Integrations pass times from different events (and frameworks from their own clocks): the tree
   * stays well formed whatever they pass.
   */
  private nestedEnd(end: number): number {
    if (this.childEndMs !== undefined && end < this.childEndMs) end = this.childEndMs;
    if (end < this.startMs) end = this.startMs;
    const parent = this.parent;
    if (!parent) return end;
    if (parent.endMs !== undefined) return end > parent.endMs ? Math.max(parent.endMs, this.startMs) : end;
    if (parent.childEndMs === undefined || end > parent.childEndMs) parent.childEndMs = end;
    return end;
  }

  /**
   * @internal Captures the wire form (deferred from `end()`): runs the integration's `finalize` (one that throws is
   * reported; the span is kept with what was set), then serialises. A span that cannot be serialised is kept as a
   * minimal one whose error says why, so its trace is still delivered.
   */
  capture(): void {
    this.runFinalizer();
    if (this.json !== undefined) return;
    try {
      this.json = spanJson(this, this.trace.sink.config);
    } catch (error) {
      reportInternal("span serialisation", error);
      this.json = minimalSpanJson(this, error);
    }
  }

  /**
   * @internal Runs the integration's `finalize`, once (one that throws is reported; the span is kept with what was
   * set). A trace recorded cheaply runs it before deciding whether the span is kept (it may set an error).
   */
  runFinalizer(): void {
    const finalize = this.finalizer;
    if (!finalize) return;
    this.finalizer = undefined;
    try {
      finalize(this);
    } catch (error) {
      reportInternal("span finalize", error);
    }
  }

  /** @internal Lets go of recorded data (its trace was dropped). */
  release(): void {
    this.input = this.output = this.metadata = this.modelParameters = this.finalizer = undefined;
  }
}

Object.defineProperty(SpanImpl.prototype, SPAN_BRAND, { value: true });

/** A child's start inside its parent's time: not before the parent's start, nor after its end if it has ended. */
function withinParent(start: number, parent: SpanImpl | undefined): number {
  if (!parent) return start;
  if (start < parent.startMs) return parent.startMs;
  return parent.endMs !== undefined && start > parent.endMs ? parent.endMs : start;
}

/** A span reduced to what cannot fail: ids, kind, status and times, with the reason in `error`. */
function minimalSpanJson(span: SpanImpl, error: unknown): string {
  const out: Record<string, unknown> = {
    span_id: span.id,
    name: "unserialisable span",
    kind: span.kind,
    status: "ERROR",
    started_at: toIso(span.startMs),
    error: `the SDK could not serialise this span: ${unreadable(error)}`,
  };
  if (span.parentId) out.parent_span_id = span.parentId;
  if (span.endMs !== undefined) out.ended_at = toIso(span.endMs);
  return JSON.stringify(out);
}
