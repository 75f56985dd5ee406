import { extractLastAssistantMessage, extractLastUserMessage } from "../messages.js";
import type { Span, SpanOptions, Trace, TraceEndOptions, TraceStatus, WaitUntil } from "../types.js";
import { reportInternal } from "../utils/guard.js";
import { idOrNew } from "../utils/ids.js";
import { logger } from "../utils/logger.js";
import { nowMs } from "../utils/time.js";
import { describe, errorMessage } from "../utils/unreadable.js";
import { splitCallback } from "./callback.js";
import { mergeMetadata, toMetadata, toName, toTags, toText, toTime, toTraceStatus } from "./coerce.js";
import { approxChars } from "./estimate.js";
import { type Deferred, defer, jobReleased } from "./finalizer.js";
import { NOOP_SPAN } from "./noop.js";
import { SPAN_KEYS, TRACE_KEYS } from "./options.js";
import { readOptions } from "../utils/read-options.js";
import { runInSpan } from "./run.js";
import { keptAtEnd, keptFromStart } from "./sampling.js";
import type { TraceSink, WaitingTrace } from "./sink.js";
import type { Delivery } from "../transport/delivery.js";
import { snapshot } from "./snapshot.js";
import { isSpanImpl, SpanImpl, type SpanOwner } from "./span-impl.js";
import { admitWaiting, leaveWaiting } from "./waiting-budget.js";

const END_KEYS = ["output", "status", "endTime"] as const;

const OPEN = 0;
/** Ended; waiting for open spans. */
const ENDING = 1;
/** Complete: waiting for the next drain to serialise and queue it. */
const SUBMITTED = 2;
/** Handed to the client (serialised and queued, or counted as dropped there). */
const DELIVERED = 3;
/** Given up before delivery (counted). */
const DROPPED = 4;

/** Marks the SDK's own traces (a global symbol, so a trace of another copy of the package is recognised too). */
const TRACE_BRAND = Symbol.for("pandaprobe.trace.v1");

/** True for a trace the SDK made (never throws, whatever `value` is). */
export function isTraceImpl(value: unknown): value is TraceImpl {
  try {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[TRACE_BRAND] === true;
  } catch {
    return false;
  }
}

/**
 * @internal The one Trace implementation. A trace is submitted once: when it has ended and all its spans have
 * ended, or when the late-span deadline passes (spans ending after that go out alone).
 *
 * Deferred work goes through the trace: an ended span is captured (serialised) on the next drain, and a submitted
 * trace is serialised there too, in one job per trace. A submitted trace waits for that drain within its client's
 * queue caps (see waiting-budget.ts): beyond them it is dropped at once, counted as `recording_overflow`, and what it
 * recorded is let go, so a synchronous burst cannot hold more than the queue could.
 */
export class TraceImpl implements Trace, SpanOwner, WaitingTrace, Deferred {
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
  spans: SpanImpl[] = [];
  /** Spans started and not ended yet. */
  openSpans = 0;
  /** Standalone trace: ends when this span ends, taking its input/output. */
  ownerSpan: SpanImpl | undefined;
  /** @internal Whether input and output are sent (the integration kit's `recordInputs`/`recordOutputs`). */
  recordInputs = true;
  recordOutputs = true;
  readonly sink: TraceSink;
  /** True once the trace was dropped while its job was queued (the job then does nothing). */
  released = false;
  /** @internal The platform's `waitUntil` where the trace started (serverless): its delivery is registered there. */
  waitUntil: WaitUntil | undefined;
  /** @internal Registered with `waitUntil` when the trace ended; settles once the trace is delivered. */
  delivery: Delivery | undefined;
  private state = OPEN;
  private inputSet = false;
  private outputSet = false;
  private lateTimer: ReturnType<typeof setTimeout> | undefined;
  /** In the finalizer's queue. */
  private queued = false;
  /** Ended spans to capture on the next drain. */
  private toCapture: SpanImpl[] | undefined;
  /** Characters admitted to the client's waiting budget (-1: not admitted, or already left it). */
  private admitted = -1;
  /**
   * Left out by `sampleRate` from its start: its spans are not captured (serialised) as they end, only if the trace
   * is kept in the end (it has an error, or the sampler keeps it). A span ending with an error keeps it at once.
   */
  private cheap = false;

  /**
   * `options` are read here without ever throwing: values of the wrong type are converted or dropped with one
   * warning naming the option. `userId`/`sessionId` are the context's, used when the options name none.
   */
  constructor(
    sink: TraceSink,
    name: unknown,
    options: unknown,
    userId: string | undefined,
    sessionId: string | undefined,
    where = "startTrace",
  ) {
    const o = readOptions(options, TRACE_KEYS, where);
    this.sink = sink;
    this.name = toName(name, "trace name", "unnamed");
    this.id = idOrNew(o.traceId, "trace");
    this.userId = (o.userId === undefined ? undefined : toText(o.userId, "userId")) ?? userId;
    this.sessionId = (o.sessionId === undefined ? undefined : toText(o.sessionId, "sessionId")) ?? sessionId;
    this.startMs = toTime(o.startTime, "startTime") ?? nowMs();
    if (o.input !== undefined) this.setInput(o.input);
    if (o.metadata !== undefined) this.metadata = toMetadata(o.metadata);
    if (o.tags !== undefined) this.tags = toTags(o.tags);
    if (o.environment !== undefined) this.environment = toText(o.environment, "environment");
    if (o.release !== undefined) this.release = toText(o.release, "release");
    if (sink.recording) {
      this.cheap = !keptFromStart(sink.config, this);
      sink.traceStarted(this);
    }
  }

  get ended(): boolean {
    return this.state !== OPEN;
  }
  /** @internal */
  get submitted(): boolean {
    return this.state >= SUBMITTED;
  }

  setName(name: string): this {
    const n = toText(name, "trace name");
    if (n !== undefined) this.name = n;
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
    this.metadata = mergeMetadata(this.metadata, metadata);
    return this;
  }
  addTags(...tags: string[]): this {
    const add = toTags(tags);
    if (add?.length) this.tags = this.tags ? [...this.tags, ...add] : add;
    return this;
  }
  setUserId(userId: string | undefined): this {
    this.userId = userId === undefined || userId === null ? undefined : (toText(userId, "userId") ?? this.userId);
    return this;
  }
  setSessionId(sessionId: string | undefined): this {
    this.sessionId =
      sessionId === undefined || sessionId === null ? undefined : (toText(sessionId, "sessionId") ?? this.sessionId);
    return this;
  }
  setStatus(status: TraceStatus): this {
    const s = toTraceStatus(status);
    if (s) this.status = s;
    return this;
  }
  setError(error: unknown): this {
    this.status = "ERROR";
    return this.setMetadata({ error: errorMessage(error) });
  }

  startSpan(name: string, options?: SpanOptions): Span {
    return this.childSpan(name, options, undefined, "trace.startSpan");
  }

  /** @internal `newSpan`, or the no-op span should the SDK fail to make one (reported, never thrown). */
  childSpan(name: unknown, options: unknown, parent: SpanImpl | undefined, where: string): Span {
    try {
      return this.newSpan(name, options, parent);
    } catch (error) {
      reportInternal(where, error);
      return NOOP_SPAN;
    }
  }

  /** @internal A span of this trace; `parent`, else `options.parent` when it is a span of this trace. */
  newSpan(name: unknown, options: unknown, parent: SpanImpl | undefined): SpanImpl {
    const o = readOptions(options, SPAN_KEYS, "startSpan");
    const p = parent ?? this.parentOf(o.parent);
    const span = new SpanImpl(this, name, o, p);
    if (this.sink.recording && this.state < DELIVERED) {
      this.spans.push(span);
      this.openSpans++;
    } else if (this.sink.recording) this.openSpans++;
    return span;
  }

  private parentOf(parent: unknown): SpanImpl | undefined {
    if (parent === undefined || parent === null || parent === NOOP_SPAN) return undefined;
    if (isSpanImpl(parent)) return parent.trace === this ? parent : undefined;
    logger.warnOnce("field:parent", `option parent should be a span; ${describe(parent)} was ignored.`);
    return undefined;
  }

  withSpan<T>(name: string, optionsOrFn: unknown, fn?: (span: Span) => T): T {
    const call = splitCallback<Span, T>(optionsOrFn, fn, "trace.withSpan");
    const span = this.childSpan(name, call.options, undefined, "trace.withSpan");
    return span === NOOP_SPAN ? call.fn(span) : runInSpan(span, call.fn);
  }

  span<T>(name: string, options: SpanOptions, fn: (span: Span) => T): T {
    return this.withSpan(name, options, fn);
  }

  end(options?: TraceEndOptions): void {
    if (this.state !== OPEN) return;
    const o = options === undefined ? undefined : readOptions(options, END_KEYS, "trace.end");
    if (o) {
      if (o.output !== undefined) this.setOutput(o.output);
      if (o.status !== undefined) this.setStatus(o.status as TraceStatus);
    }
    this.endMs = toTime(o?.endTime, "endTime") ?? nowMs();
    this.state = ENDING;
    if (!this.sink.recording) return;
    if (this.waitUntil && typeof this.sink.openDelivery === "function")
      this.delivery = this.sink.openDelivery(this.waitUntil);
    if (this.openSpans <= 0) this.submit();
    else {
      try {
        const t = setTimeout(() => this.submit(), this.sink.config.lateSpanTimeoutMs);
        (t as { unref?: () => void }).unref?.();
        this.lateTimer = t;
        this.sink.traceWaiting(this);
      } catch (error) {
        reportInternal("trace.end", error);
        this.submit();
      }
    }
  }

  /** @internal Called by a span of this trace when it ends. */
  spanEnded(span: SpanImpl): void {
    if (!this.sink.recording) {
      if (this.ownerSpan === span) this.endFromOwner(span);
      return;
    }
    this.openSpans--;
    if (this.state !== DROPPED) {
      if (!this.cheap) {
        (this.toCapture ??= []).push(span);
        this.schedule();
      } else if (span.status === "ERROR") this.keepFromNow();
    }
    if (this.ownerSpan === span) this.endFromOwner(span);
    else if (this.state === ENDING && this.openSpans <= 0) this.submit();
  }

  /** A trace recorded cheaply has an error, so it will be kept: its ended spans are captured now, later ones as they end. */
  private keepFromNow(): void {
    this.cheap = false;
    for (const s of this.spans) if (s.ended && s.json === undefined) (this.toCapture ??= []).push(s);
    if (this.toCapture) this.schedule();
  }

  private endFromOwner(span: SpanImpl): void {
    if (span.status === "ERROR") this.status = "ERROR";
    this.end({ endTime: span.endMs });
  }

  /** @internal Submits now, with whatever spans have ended (shutdown, exit, late-span deadline). */
  submit(): void {
    if (this.state >= SUBMITTED) return;
    if (this.state === OPEN) this.endMs ??= nowMs();
    this.state = SUBMITTED;
    if (this.lateTimer) clearTimeout(this.lateTimer);
    this.lateTimer = undefined;
    const chars = this.approxChars();
    if (!admitWaiting(this.sink, chars)) return this.drop("recording_overflow");
    this.admitted = chars;
    this.schedule();
    // Not after the next turn: a platform may freeze the function once its response is out, and Workers drop the
    // timers of a request that has ended (a drain scheduled there would never run).
    if (this.delivery) this.sink.deliverSoon();
  }

  /** Leaves the client's waiting budget, once. */
  private leaveWaiting(): void {
    if (this.admitted < 0) return;
    leaveWaiting(this.sink, this.admitted);
    this.admitted = -1;
  }

  private schedule(): void {
    if (this.queued) return;
    this.queued = true;
    defer(this);
  }

  /** About how many characters this trace will take once serialised (read cheaply, before it is). */
  private approxChars(): number {
    let n = 200 + approxChars(this.input) + approxChars(this.output) + approxChars(this.metadata);
    for (const s of this.spans)
      n += s.json?.length ?? 200 + approxChars(s.input) + approxChars(s.output) + approxChars(s.metadata);
    return n;
  }

  /** Gives the trace up before delivery: counted once under `reason`, and everything it recorded let go. */
  private drop(
    reason: "sampled_out" | "recording_overflow" | "serialize_failed" | "recording_failed",
    error?: unknown,
  ): void {
    this.leaveWaiting();
    this.state = DROPPED;
    try {
      this.sink.traceDropped(this, reason, error);
    } catch (inner) {
      reportInternal("trace drop", inner);
    }
    this.input = this.output = this.metadata = undefined;
    for (const s of this.spans) s.release();
    this.spans = [];
    this.toCapture = undefined;
    this.ownerSpan = undefined;
    if (this.queued && !this.released) {
      this.released = true;
      jobReleased();
    }
  }

  /**
   * @internal The deferred job: captures the spans that ended, then (once submitted) serialises and queues the
   * trace; spans that end after that are sent on their own.
   */
  runDeferred(): void {
    this.queued = false;
    const captured = this.toCapture;
    this.toCapture = undefined;
    if (captured) for (const span of captured) span.capture();
    if (this.state === SUBMITTED) this.deliver();
    else if (this.state === DELIVERED && captured) for (const span of captured) this.sink.submitLateSpan(this, span);
  }

  /** @internal The deferred job threw (a bug): the trace is counted as dropped. */
  deferredFailed(error: unknown): void {
    if (this.state < DELIVERED) this.drop("recording_failed", error);
  }

  private deliver(): void {
    // Recorded cheaply: the spans' own finalisation runs before the decision (it may set an error).
    if (this.cheap) for (const s of this.spans) if (s.ended) s.runFinalizer();
    // A standalone trace takes its I/O from its span, read now: after the span's own deferred
    // finalisation (captured just before), which may have set its output.
    const owner = this.ownerSpan;
    if (owner) {
      if (!this.inputSet && owner.input !== undefined) this.input = extractLastUserMessage(owner.input);
      if (!this.outputSet && owner.output !== undefined) this.output = extractLastAssistantMessage(owner.output);
    }
    // The sampling decision is final only now: errors are kept whatever the rate or the sampler say.
    if (!keptAtEnd(this.sink.config, this)) return this.drop("sampled_out");
    if (this.cheap) {
      this.cheap = false;
      for (const s of this.spans) if (s.ended) s.capture();
    }
    this.leaveWaiting();
    this.state = DELIVERED;
    try {
      this.sink.submitTrace(this);
    } catch (error) {
      this.drop("serialize_failed", error);
      return;
    }
    // The body holds the recorded data now: keep only what late spans need.
    this.input = this.output = this.metadata = undefined;
    this.spans = [];
  }
}

Object.defineProperty(TraceImpl.prototype, TRACE_BRAND, { value: true });
