import type { PandaProbeOptions, ResolvedConfig } from "../config/options.js";
import { DISABLED_BY_CONFIGURATION, resolveConfig } from "../config/resolve-config.js";
import { scoreArgs } from "../scores/score-args.js";
import { buildScorePayload } from "../scores/score-payload.js";
import type { SpanRecord, TraceRecord } from "../serialize/records.js";
import { spanJson, traceJson } from "../serialize/to-wire.js";
import { splitCallback } from "../tracing/callback.js";
import { createTrace, runNewTrace } from "../tracing/create.js";
import { traceHasError } from "../tracing/sampling.js";
import type { WaitingTrace } from "../tracing/sink.js";
import { isNode } from "../transport/builtin.js";
import { chooseSender } from "../transport/choose-sender.js";
import type { QueueItem } from "../transport/queue-item.js";
import { deadline } from "../transport/timers.js";
import { Transport } from "../transport/transport.js";
import type {
  DropReason,
  FlushResult,
  PandaProbeErrorInfo,
  BaseScoreOptions,
  BaseTraceOptions,
  ScoreExtras,
  Trace,
  TransportStats,
  WaitUntil,
} from "../types.js";
import { errorMessage, guard, onInternalError } from "../utils/guard.js";
import { newId } from "../utils/ids.js";
import { logger } from "../utils/logger.js";
import { drainDeferred } from "../tracing/finalizer.js";
import { ownValues, readOption } from "../utils/read-options.js";
import { nowMs } from "../utils/time.js";
import { describe } from "../utils/unreadable.js";
import { isAsyncLocalStorageClass } from "../utils/async-local-storage.js";
import { currentFrame, useAsyncLocalStorage } from "../context/frame.js";
import { noticeNoAsyncContext } from "../context/no-async-context.js";
import { platformWaitUntil } from "../context/wait-until.js";
import { Delivery } from "../transport/delivery.js";

/** Takes the delivery a trace registered with `waitUntil` when it ended (see tracing/trace-impl), once. */
function takeDelivery(trace: object | undefined): Delivery | undefined {
  const t = trace as { delivery?: Delivery } | undefined;
  const delivery = t?.delivery;
  if (delivery) t!.delivery = undefined;
  return delivery;
}

const EMPTY_RESULT: FlushResult = { ok: true, timedOut: false, sent: 0, failed: 0, dropped: 0, pending: 0 };
const EMPTY_STATS: TransportStats = {
  accepted: 0,
  queued: 0,
  sent: 0,
  failed: 0,
  dropped: 0,
  pending: 0,
  pendingBytes: 0,
  failedByReason: {},
  droppedByReason: {},
};
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * A timeout as given (Infinity included); NaN, negative or missing values mean the default. Never throws; a value
 * that is not `{ timeoutMs }` (a bare number: PandaProbe's `pandaprobe` package takes seconds there) is warned about.
 */
function timeoutOf(options: unknown, where: string): number {
  const t = readOption(options, "timeoutMs", where);
  if (typeof t === "number" && t >= 0) return t;
  if (t !== undefined || (options !== undefined && (typeof options !== "object" || options === null)))
    logger.warnOnce(
      `option:${where}.timeoutMs`,
      `${where}() takes { timeoutMs } (milliseconds); ${describe(t ?? options)} was ignored and ${DEFAULT_TIMEOUT_MS} ms used.`,
    );
  return DEFAULT_TIMEOUT_MS;
}

/**
 * Node before 20.16 (the declared minimum) has no `process.getBuiltinModule`: the ESM build then finds no
 * AsyncLocalStorage (context would not follow `await`) and no `node:http`. Said once, not silently degraded.
 */
function warnIfNodeTooOld(): void {
  const p = (globalThis as { process?: { version?: string; getBuiltinModule?: unknown } }).process;
  if (isNode() && typeof p?.getBuiltinModule !== "function")
    logger.warnOnce(
      "node-version",
      `Node ${p?.version} is older than 20.16, the minimum @pandaprobe/core supports: upgrade Node (context may not follow await, and requests go through fetch).`,
    );
}

/**
 * A PandaProbe client: configuration plus its own transport. Most apps use the global one
 * (`init()` / env); integrations accept an independent instance as `client`.
 * Misconfiguration never throws: it warns once and the client becomes a no-op.
 * @example const client = new PandaProbe({ apiKey, projectName: "my-app" });
 */
export class PandaProbe {
  /** The resolved configuration (read-only: frozen). */
  readonly config: Readonly<ResolvedConfig>;
  private readonly transport: Transport | undefined;
  private readonly listeners = new Set<(e: PandaProbeErrorInfo) => void>();
  /** Ended traces waiting for their open spans (submitted when the last one ends, or at the late-span deadline). */
  private readonly waiting = new Set<WaitingTrace>();
  /** `flush()` calls waiting for one of those to be submitted. */
  private readonly waitingWatchers = new Set<() => void>();
  private isShutDown = false;
  /** A `deliverSoon()` microtask is queued. */
  private kickQueued = false;
  private unsubscribeInternal: (() => void) | undefined;

  constructor(options: PandaProbeOptions = {}) {
    // Read once, without throwing, whatever was given (a Proxy, a getter that throws): unreadable options are left out.
    options = ownValues(options, "PandaProbe");
    const { config, problems } = resolveConfig(options);
    if (config.debug) logger.setDebug(true);
    if (typeof options.onError === "function") this.listeners.add(options.onError);
    if (isAsyncLocalStorageClass(options.asyncLocalStorage)) useAsyncLocalStorage(options.asyncLocalStorage);
    if (problems.length) {
      const msg = `PandaProbe configuration problem: ${problems.join("; ")}.${config.enabled ? "" : " Tracing is disabled (a no-op) until this is fixed."}`;
      logger.warnOnce(`config:${problems.join("|")}`, msg);
      this.emit({ kind: "config", message: msg, final: true });
    }
    if (config.enabled) {
      warnIfNodeTooOld();
      noticeNoAsyncContext();
      const sender = chooseSender(config, typeof options.fetch === "function" ? options.fetch : undefined);
      if (!sender) {
        logger.warnOnce(
          "config:fetch",
          "PandaProbe: no fetch() in this runtime; pass `fetch` in the options. Tracing is disabled.",
        );
        config.enabled = false;
        config.disabledReason = "no fetch implementation";
      } else {
        this.transport = new Transport(Object.freeze(config), sender, (e) => this.emit(e));
        this.transport.beforeExit = () => this.submitWaiting();
        this.unsubscribeInternal = onInternalError((label, error) =>
          this.emit({
            kind: "internal",
            message: `internal error in ${label}: ${errorMessage(error)}`,
            final: false,
            cause: error,
          }),
        );
      }
    }
    this.config = Object.freeze(config);
  }

  /** False when disabled by configuration, misconfigured, or shut down. */
  get enabled(): boolean {
    return this.config.enabled && !this.isShutDown;
  }

  /** Starts a trace you end yourself with `trace.end()`; not made current (see `startTrace()`). Never throws. */
  startTrace(name: string, options?: BaseTraceOptions): Trace;
  /** @deprecated The callback form is `client.withTrace(name, options, fn)` (same behaviour). */
  startTrace<T>(name: string, options: BaseTraceOptions | undefined, fn: (trace: Trace) => T): T;
  startTrace<T>(name: string, options?: BaseTraceOptions, fn?: (trace: Trace) => T): Trace | T {
    if (fn !== undefined) return this.withTrace(name, options, fn);
    return createTrace(this, name, options, "startTrace");
  }

  /** Runs `fn(trace)` with a new trace of this client current (see `withTrace()`); ends it when `fn` settles. */
  withTrace<T>(name: string, fn: (trace: Trace) => T): T;
  withTrace<T>(name: string, options: BaseTraceOptions | undefined, fn: (trace: Trace) => T): T;
  withTrace<T>(name: string, optionsOrFn: unknown, fn?: (trace: Trace) => T): T {
    const call = splitCallback<Trace, T>(optionsOrFn, fn, "withTrace");
    return runNewTrace(this, name, call.options, call.fn, "withTrace");
  }

  /**
   * Queues a score for a trace (`POST /evaluations/trace-scores`, source PROGRAMMATIC): an options object, or
   * `(traceId, name, value, options)`. Values are checked per data type; an invalid score is reported (warning +
   * onError) and false returned. A score for a trace not yet delivered waits for it, then retries until the backend
   * has stored the trace. Never throws.
   */
  score(options: BaseScoreOptions): boolean;
  score(traceId: string, name: string, value: number | boolean | string, options?: ScoreExtras): boolean;
  score(first: unknown, name?: unknown, value?: unknown, extras?: unknown): boolean {
    const options = scoreArgs(first, name, value, extras, arguments.length);
    return guard(
      "score",
      () => {
        if (!this.enabled || !this.transport) return false;
        const { body, error } = buildScorePayload(options, this.config.maxFieldSize);
        if (!body) {
          logger.warn(`invalid score not sent: ${error}`);
          this.emit({ kind: "validation", message: `invalid score not sent: ${error}`, final: true });
          return false;
        }
        const item = this.item("score", "/evaluations/trace-scores", JSON.stringify(body), body.trace_id as string);
        const waitUntil = currentFrame().waitUntil ?? this.config.waitUntil ?? platformWaitUntil();
        const delivery = waitUntil ? this.openDelivery(waitUntil) : undefined;
        return this.enqueueFor(delivery, this.transport, item);
      },
      false,
    );
  }

  /** Queues `item` as part of `delivery` (registered with a platform's `waitUntil`), sent at once when there is one. */
  private enqueueFor(delivery: Delivery | undefined, transport: Transport, item: QueueItem): boolean {
    const queued = transport.enqueue(item);
    if (delivery) {
      if (queued) delivery.track(item);
      delivery.release();
      this.deliverSoon();
    }
    return queued;
  }

  /**
   * @internal Registers everything pending now with `waitUntil` (the serverless wrappers, after the handler, where
   * context cannot follow `await`: traces started after one did not capture the request's `waitUntil`).
   */
  registerPending(waitUntil: WaitUntil): void {
    const transport = this.transport;
    if (!transport) return;
    guard("registerPending", () => {
      drainDeferred();
      const items = transport.pendingItems();
      if (items.length === 0) return;
      const delivery = this.openDelivery(waitUntil);
      for (const item of items) delivery.track(item);
      delivery.release();
      this.deliverSoon();
    });
  }

  /** @internal TraceSink */
  openDelivery(waitUntil: WaitUntil): Delivery {
    return new Delivery(waitUntil, DEFAULT_TIMEOUT_MS);
  }

  /** @internal TraceSink: sends what is queued on this turn, not after the batch interval (serverless). */
  deliverSoon(): void {
    if (this.kickQueued || !this.transport) return;
    this.kickQueued = true;
    const transport = this.transport;
    void Promise.resolve().then(() => {
      this.kickQueued = false;
      guard("deliver", () => {
        drainDeferred();
        transport.expedite();
      });
    });
  }

  /**
   * Sends everything recorded so far; resolves (never rejects) within `timeoutMs` (default 10 s; any value, Infinity
   * included) to what was settled since the previous `flush()`/`shutdown()`: `ok` only when all of it was delivered.
   * A trace that has ended but still has an open span (a stream being read) is waited for, within the timeout, and
   * sent as soon as that span ends; one still waiting when the time is up counts as `pending` (`ok` false).
   */
  async flush(options: { timeoutMs?: number } = {}): Promise<FlushResult> {
    const transport = this.transport;
    if (!transport) return this.disabledResult();
    try {
      const timeoutMs = timeoutOf(options, "flush");
      const end = nowMs() + timeoutMs;
      drainDeferred();
      let result = await transport.flush(timeoutMs);
      while (this.waiting.size > 0) {
        const left = end - nowMs();
        if (left <= 0 || !(await this.waitForWaiting(left))) break;
        drainDeferred();
        const next = await transport.flush(Math.max(0, end - nowMs()));
        result = {
          ...next,
          ok: result.ok && next.ok,
          sent: result.sent + next.sent,
          failed: result.failed + next.failed,
          dropped: result.dropped + next.dropped,
        };
      }
      const waiting = this.waiting.size;
      return waiting === 0 ? result : { ...result, ok: false, timedOut: true, pending: result.pending + waiting };
    } catch (error) {
      logger.error(`flush failed: ${errorMessage(error)}`);
      return { ...EMPTY_RESULT, ok: false, pending: transport.pendingCount() + this.waiting.size };
    }
  }

  /**
   * The result of a client that sends nothing: a misconfigured one is not `ok` and says why, so a `flush()` at the
   * end of a request or a script shows the problem, not "everything delivered" (`PANDAPROBE_ENABLED=false` is ok).
   */
  private disabledResult(): FlushResult {
    const reason = this.config.disabledReason ?? "disabled";
    return { ...EMPTY_RESULT, ok: reason === DISABLED_BY_CONFIGURATION, disabled: reason };
  }

  /** Resolves true when a waiting trace has been submitted (its last span ended), false after `ms`. */
  private waitForWaiting(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = deadline(ms, () => {
        this.waitingWatchers.delete(onSubmit);
        resolve(false);
      });
      const onSubmit = () => {
        timer.cancel();
        this.waitingWatchers.delete(onSubmit);
        resolve(true);
      };
      this.waitingWatchers.add(onSubmit);
    });
  }

  /**
   * Submits traces still waiting for late spans, flushes, and stops the client (idempotent). Resolves by
   * `timeoutMs` (default 10 s; any value, Infinity included), never rejects. What it could not deliver is counted
   * in `dropped` (`shutdown_pending`; or written to `spoolDir`, as `spooled`): nothing is `pending` afterwards.
   */
  async shutdown(options: { timeoutMs?: number } = {}): Promise<FlushResult> {
    if (!this.transport) return this.disabledResult();
    if (this.isShutDown) return { ...EMPTY_RESULT, pending: this.transport.pendingCount() };
    this.submitWaiting();
    this.isShutDown = true;
    this.unsubscribeInternal?.();
    try {
      return await this.transport.shutdown(timeoutOf(options, "shutdown"));
    } catch (error) {
      logger.error(`shutdown failed: ${errorMessage(error)}`);
      return { ...EMPTY_RESULT, ok: false };
    }
  }

  /** Subscribes to every failure (HTTP, network, drops, config, internal). Returns an unsubscribe function. */
  onError(listener: (error: PandaProbeErrorInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Running totals: accepted = sent + failed + dropped + pending, with failures and drops by reason. */
  stats(): TransportStats {
    if (!this.transport) return { ...EMPTY_STATS, failedByReason: {}, droppedByReason: {} };
    drainDeferred();
    return this.transport.stats();
  }

  /** @internal TraceSink */
  get recording(): boolean {
    return this.config.enabled;
  }

  /** @internal TraceSink */
  traceStarted(trace: TraceRecord): void {
    this.transport?.holdTrace(trace.id, Date.now());
  }

  /** @internal TraceSink */
  traceWaiting(trace: WaitingTrace): void {
    this.waiting.add(trace);
  }

  /** @internal TraceSink */
  submitTrace(trace: TraceRecord): void {
    const waited = this.waiting.delete(trace as WaitingTrace);
    const delivery = takeDelivery(trace);
    try {
      if (this.transport) {
        const item = this.enqueueTrace(this.transport, trace);
        if (item) delivery?.track(item);
      }
    } finally {
      delivery?.release();
      if (waited && this.waitingWatchers.size > 0) for (const w of [...this.waitingWatchers]) w();
    }
  }

  /** The trace's item when it was queued. */
  private enqueueTrace(transport: Transport, trace: TraceRecord): QueueItem | undefined {
    const { body, extraSpanChunks } = traceJson(trace, this.config);
    const item = this.item("trace", "/traces", body, trace.id);
    // What the shedding policy weighs when the rate budget or the queue is full (see TraceBacklog).
    if (traceHasError(trace)) item.error = true;
    if (trace.sessionId !== undefined) item.sessionId = trace.sessionId.slice(0, 255); // as sent; memory stays bounded
    if (extraSpanChunks.length) {
      item.followUps = extraSpanChunks.map((chunk) => {
        const f = this.item("spans", `/traces/${trace.id}/spans`, chunk, trace.id);
        f.retryNotFound = true;
        return f;
      });
      // Follow-ups are counted in bytes when released, not now.
    }
    return transport.enqueue(item) ? item : undefined;
  }

  /** @internal TraceSink */
  traceDropped(trace: Pick<TraceRecord, "id" | "name"> | undefined, reason: DropReason, error?: unknown): void {
    this.transport?.countDrop(reason);
    if (trace) {
      this.transport?.forgetTrace(trace.id, reason);
      if (this.waiting.delete(trace as WaitingTrace)) for (const w of [...this.waitingWatchers]) w();
    }
    takeDelivery(trace)?.release();
    if (reason === "sampled_out") return; // what sampling is for: counted, not reported
    const what = trace ? `trace "${trace.name}" (${trace.id})` : "a recording";
    const message = `${what} dropped: ${reason}${error === undefined ? "" : ` (${errorMessage(error)})`}`;
    logger.warnOnce(`drop:${reason}`, `${message}; see client.stats().droppedByReason for counts.`);
    this.emit({ kind: "dropped", message, final: true, cause: error });
  }

  /** @internal TraceSink */
  submitLateSpan(trace: TraceRecord, span: SpanRecord): void {
    if (!this.transport) return;
    const item = this.item(
      "spans",
      `/traces/${trace.id}/spans`,
      `[${span.json ?? spanJson(span, this.config)}]`,
      trace.id,
    );
    item.retryNotFound = true;
    const waitUntil = (trace as { waitUntil?: WaitUntil }).waitUntil;
    this.enqueueFor(waitUntil && this.openDelivery(waitUntil), this.transport, item);
  }

  /**
   * Submits the traces still waiting for open spans (shutdown, process end). Deferred recordings run first: they end
   * spans (a streamed call's span is ended by its recording), so their traces complete and go out whole, instead of
   * going out with the span still open and the span again, alone, once it ends.
   */
  private submitWaiting(): void {
    drainDeferred();
    for (const t of [...this.waiting]) guard("trace.submit", () => t.submit());
    this.waiting.clear();
    drainDeferred();
  }

  private item(kind: QueueItem["kind"], path: string, body: string, traceId?: string): QueueItem {
    return { kind, method: "POST", path, body, requestId: newId(), attempts: 0, traceId };
  }

  private emit(info: PandaProbeErrorInfo): void {
    for (const l of this.listeners) {
      try {
        l(info);
      } catch {
        /* a user's onError must not break the SDK */
      }
    }
  }
}
