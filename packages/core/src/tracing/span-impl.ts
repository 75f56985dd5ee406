import type { Cost, Span, SpanKind, SpanOptions, SpanStatus, TimeInput, TokenUsage } from "../types.js";
import { errorMessage } from "../utils/guard.js";
import { idOrNew } from "../utils/ids.js";
import { logger } from "../utils/logger.js";
import { nowMs, toMs } from "../utils/time.js";
import { cleanTokenUsage } from "./usage.js";
import type { TraceImpl } from "./trace-impl.js";
import { spanJson } from "../serialize/to-wire.js";
import { defer } from "./finalizer.js";
import { guard } from "../utils/guard.js";
import { snapshot } from "./snapshot.js";

const KINDS = new Set<SpanKind>(["AGENT", "TOOL", "LLM", "RETRIEVER", "CHAIN", "EMBEDDING", "OTHER"]);
const STATUSES = new Set<SpanStatus>(["UNSET", "OK", "ERROR"]);

/** @internal The one Span implementation. Setters store raw values; serialisation happens when the trace is queued. */
export class SpanImpl implements Span {
  readonly id: string;
  readonly trace: TraceImpl;
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
  /** The wire form as JSON text, captured when the span ends. */
  json: string | undefined;
  /** @internal Whether input and output are sent (the integration kit's `recordInputs`/`recordOutputs`); children inherit it. */
  recordInputs: boolean;
  recordOutputs: boolean;
  /** @internal The latest end of this span's ended children: the span never ends before it. */
  private childEndMs: number | undefined;
  private finalizer: ((span: Span) => void) | undefined;

  constructor(trace: TraceImpl, name: string, options: SpanOptions | undefined, parent: SpanImpl | undefined) {
    this.trace = trace;
    this.id = idOrNew(options?.spanId, "span");
    this.parent = parent;
    this.parentId = parent?.id;
    this.name = name;
    this.kind = options?.kind && KINDS.has(options.kind) ? options.kind : warnKind(options?.kind);
    this.startMs = withinParent(toMs(options?.startTime) ?? nowMs(), parent);
    this.recordInputs = parent ? parent.recordInputs : true;
    this.recordOutputs = parent ? parent.recordOutputs : true;
    if (options) {
      this.input = snapshot(options.input);
      if (options.metadata) this.metadata = { ...options.metadata };
      this.model = options.model;
      this.modelParameters = options.modelParameters;
    }
  }

  get traceId(): string {
    return this.trace.id;
  }
  get ended(): boolean {
    return this.endMs !== undefined;
  }

  setName(name: string): this {
    if (typeof name === "string") this.name = name;
    return this;
  }
  setKind(kind: SpanKind): this {
    if (KINDS.has(kind)) this.kind = kind;
    else warnKind(kind);
    return this;
  }
  /**
   * A span is captured right after it ends (on the next turn of the event loop, or at `flush()`):
   * data set after `end()`, or objects mutated after that point, are not recorded.
   */
  setInput(input: unknown): this {
    this.input = snapshot(input);
    return this;
  }
  setOutput(output: unknown): this {
    this.output = snapshot(output);
    return this;
  }
  setModel(model: string | undefined): this {
    this.model = model === undefined || model === null ? undefined : String(model);
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
    for (const k in cost) {
      const v = cost[k];
      if (typeof v === "number" && Number.isFinite(v)) out[k] = v;
    }
    this.cost = out;
    return this;
  }
  setCompletionStartTime(time?: TimeInput): this {
    if (this.completionStartMs === undefined) this.completionStartMs = this.withinSpan(toMs(time) ?? nowMs());
    return this;
  }
  setMetadata(metadata: Record<string, unknown>): this {
    if (metadata && typeof metadata === "object") this.metadata = { ...this.metadata, ...metadata };
    return this;
  }
  setError(error: unknown): this {
    this.status = "ERROR";
    this.error = errorMessage(error);
    return this;
  }
  setStatus(status: SpanStatus): this {
    if (STATUSES.has(status)) this.status = status;
    return this;
  }
  startSpan(name: string, options?: SpanOptions): Span {
    return this.trace.startSpan(name, { ...options, parent: this });
  }
  /** @internal Captures the wire form (deferred from `end()`). */
  runDeferred(): void {
    const finalize = this.finalizer;
    if (finalize) {
      this.finalizer = undefined;
      guard("span finalize", () => finalize(this));
    }
    if (this.json === undefined) this.json = spanJson(this, this.trace.sink.config);
  }

  /** @internal True when `ancestor` is this span's parent, grandparent, ... */
  hasAncestor(ancestor: SpanImpl): boolean {
    let p = this.parent;
    for (let depth = 0; p && depth < 1000; depth++, p = p.parent) if (p === ancestor) return true;
    return false;
  }

  end(options?: { output?: unknown; endTime?: TimeInput; error?: unknown; finalize?: (span: Span) => void }): void {
    if (this.endMs !== undefined) return;
    if (options) {
      if (options.output !== undefined) this.output = snapshot(options.output);
      if (options.error !== undefined) this.setError(options.error);
      if (options.finalize) this.finalizer = options.finalize;
    }
    this.endMs = this.nestedEnd(toMs(options?.endTime) ?? nowMs());
    if (this.completionStartMs !== undefined) this.completionStartMs = this.withinSpan(this.completionStartMs);
    if (this.status === "UNSET") this.status = "OK";
    if (this.trace.sink.recording) defer(this);
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
}

/** A child's start inside its parent's time: not before the parent's start, nor after its end if it has ended. */
function withinParent(start: number, parent: SpanImpl | undefined): number {
  if (!parent) return start;
  if (start < parent.startMs) return parent.startMs;
  return parent.endMs !== undefined && start > parent.endMs ? parent.endMs : start;
}

function warnKind(kind: unknown): SpanKind {
  if (kind !== undefined)
    logger.warnOnce(
      `kind:${String(kind)}`,
      `unknown span kind "${String(kind)}"; using OTHER (kinds are upper-case: AGENT, TOOL, LLM, RETRIEVER, CHAIN, EMBEDDING, OTHER).`,
    );
  return "OTHER";
}
