import type { Span, SpanOptions, TimeInput, Trace, TraceOptions, TraceStatus } from "../types.js";
import { errorMessage } from "../utils/guard.js";
import { idOrNew } from "../utils/ids.js";
import { nowMs, toMs } from "../utils/time.js";
import { extractLastAssistantMessage, extractLastUserMessage } from "../messages.js";
import type { TraceSink } from "./sink.js";
import { defer } from "./finalizer.js";
import { snapshot } from "./snapshot.js";
import { SpanImpl } from "./span-impl.js";

const STATUSES = new Set<TraceStatus>(["PENDING", "RUNNING", "COMPLETED", "ERROR"]);
const OPEN = 0;
const ENDING = 1;
const SUBMITTED = 2;

/**
 * @internal The one Trace implementation. A trace is submitted once: when it has ended and all its
 * spans have ended, or when the late-span deadline passes (spans ending after that go out alone).
 */
export class TraceImpl implements Trace {
  readonly id: string;
  name: string;
  status: TraceStatus = "COMPLETED";
  input: unknown;
  output: unknown;
  metadata: Record<string, unknown> | undefined;
  tags: string[] | undefined;
  userId: string | undefined;
  sessionId: string | undefined;
  environment: string | undefined;
  release: string | undefined;
  readonly startMs: number;
  endMs: number | undefined;
  /** Spans in start order (empty when the client is disabled). */
  readonly spans: SpanImpl[] = [];
  /** Spans started and not ended yet. */
  openSpans = 0;
  /** Standalone trace: ends when this span ends, taking its input/output. */
  ownerSpan: SpanImpl | undefined;
  /** @internal Whether input and output are sent (the integration kit's `recordInputs`/`recordOutputs`). */
  recordInputs = true;
  recordOutputs = true;
  readonly sink: TraceSink;
  private state = OPEN;
  private inputSet = false;
  private outputSet = false;
  private lateTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    sink: TraceSink,
    name: string,
    options: TraceOptions | undefined,
    userId: string | undefined,
    sessionId: string | undefined,
  ) {
    this.sink = sink;
    this.name = name;
    this.id = idOrNew(options?.traceId, "trace");
    this.userId = userId;
    this.sessionId = sessionId;
    this.startMs = toMs(options?.startTime) ?? nowMs();
    if (options) {
      if (options.input !== undefined) this.setInput(options.input);
      if (options.metadata) this.metadata = { ...options.metadata };
      if (options.tags) this.tags = [...options.tags];
      this.environment = options.environment;
      this.release = options.release;
    }
    if (sink.recording) sink.traceStarted(this);
  }

  get ended(): boolean {
    return this.state !== OPEN;
  }
  /** @internal */
  get submitted(): boolean {
    return this.state === SUBMITTED;
  }

  setName(name: string): this {
    if (typeof name === "string") this.name = name;
    return this;
  }
  setInput(input: unknown): this {
    this.input = snapshot(input);
    this.inputSet = true;
    return this;
  }
  setOutput(output: unknown): this {
    this.output = snapshot(output);
    this.outputSet = true;
    return this;
  }
  setMetadata(metadata: Record<string, unknown>): this {
    if (metadata && typeof metadata === "object") this.metadata = { ...this.metadata, ...metadata };
    return this;
  }
  addTags(...tags: string[]): this {
    const add = tags.filter((t) => typeof t === "string");
    if (add.length) this.tags = this.tags ? [...this.tags, ...add] : add;
    return this;
  }
  setUserId(userId: string | undefined): this {
    this.userId = userId;
    return this;
  }
  setSessionId(sessionId: string | undefined): this {
    this.sessionId = sessionId;
    return this;
  }
  setStatus(status: TraceStatus): this {
    if (STATUSES.has(status)) this.status = status;
    return this;
  }
  setError(error: unknown): this {
    this.status = "ERROR";
    return this.setMetadata({ error: errorMessage(error) });
  }

  startSpan(name: string, options?: SpanOptions): Span {
    return this.newSpan(name, options);
  }

  /** @internal */
  newSpan(name: string, options?: SpanOptions): SpanImpl {
    const parent = options?.parent as SpanImpl | undefined;
    const span = new SpanImpl(this, name, options, parent && parent.trace === this ? parent : undefined);
    if (this.sink.recording) {
      this.spans.push(span);
      this.openSpans++;
    }
    return span;
  }

  span<T>(name: string, options: SpanOptions, fn: (span: Span) => T): T {
    // Implemented in start.ts (needs the context); attached there to avoid a cycle.
    return spanRunner(this, name, options, fn);
  }

  end(options?: { output?: unknown; status?: TraceStatus; endTime?: TimeInput }): void {
    if (this.state !== OPEN) return;
    if (options) {
      if (options.output !== undefined) this.setOutput(options.output);
      if (options.status) this.setStatus(options.status);
    }
    this.endMs = toMs(options?.endTime) ?? nowMs();
    this.state = ENDING;
    if (!this.sink.recording) return;
    if (this.openSpans <= 0) this.submit();
    else {
      const t = setTimeout(() => this.submit(), this.sink.config.lateSpanTimeoutMs);
      (t as { unref?: () => void }).unref?.();
      this.lateTimer = t;
      this.sink.traceWaiting(this);
    }
  }

  /** @internal Called by a span of this trace when it ends. */
  spanEnded(span: SpanImpl): void {
    if (!this.sink.recording) {
      if (this.ownerSpan === span) this.endFromOwner(span);
      return;
    }
    this.openSpans--;
    if (this.state === SUBMITTED) {
      defer({ runDeferred: () => this.sink.submitLateSpan(this, span) });
      return;
    }
    if (this.ownerSpan === span) this.endFromOwner(span);
    else if (this.state === ENDING && this.openSpans <= 0) this.submit();
  }

  private endFromOwner(span: SpanImpl): void {
    if (span.status === "ERROR") this.status = "ERROR";
    this.end({ endTime: span.endMs });
  }

  /** @internal Submits now, with whatever spans have ended (shutdown, exit, late-span deadline). */
  submit(): void {
    if (this.state === SUBMITTED) return;
    this.state = SUBMITTED;
    if (this.lateTimer) clearTimeout(this.lateTimer);
    this.lateTimer = undefined;
    defer(this);
  }

  /** @internal Serialises and queues the trace (deferred from `submit()`). */
  runDeferred(): void {
    // A standalone trace takes its I/O from its span, read now: after the span's own deferred
    // finalisation (queued before this job), which may have set its output.
    const owner = this.ownerSpan;
    if (owner) {
      if (!this.inputSet && owner.input !== undefined) this.input = extractLastUserMessage(owner.input);
      if (!this.outputSet && owner.output !== undefined) this.output = extractLastAssistantMessage(owner.output);
    }
    this.sink.submitTrace(this);
  }
}

type SpanRunner = <T>(trace: TraceImpl, name: string, options: SpanOptions, fn: (span: Span) => T) => T;
let spanRunner: SpanRunner = (trace, name, options, fn) => fn(trace.newSpan(name, options));

/** @internal Installed by start.ts so `trace.span()` runs inside the context. */
export function setSpanRunner(runner: SpanRunner): void {
  spanRunner = runner;
}
