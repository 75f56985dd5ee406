import PQueue from "p-queue";
import type { ResolvedConfig } from "../config/options.js";
import type { DropReason, FlushResult, PandaProbeErrorInfo, TransportStats } from "../types.js";
import { errorMessage } from "../utils/guard.js";
import { logger } from "../utils/logger.js";
import { SDK_VERSION } from "../version.js";
import { registerForExit, unregisterForExit } from "./exit-hook.js";
import type { QueueItem } from "./queue-item.js";
import { Deque } from "./deque.js";
import { RateWindow } from "./rate-window.js";
import { ScoreParking } from "./score-parking.js";
import { backoffMs, classifyStatus, isQuotaRefusal, parseRetryAfter, serverMessage } from "./retry.js";
import {
  asError,
  Canceller,
  type BatchResult,
  type HttpResponse,
  type HttpSender,
  type OutgoingRequest,
} from "./http-sender.js";

type Timer = ReturnType<typeof setTimeout>;

function unrefTimer(fn: () => void, ms: number): Timer {
  const t = setTimeout(fn, ms);
  (t as { unref?: () => void }).unref?.();
  return t;
}

/** Most requests in one batch (one p-queue job, one pipelined write on one connection). */
const MAX_BATCH = 32;
/** A batch stops growing past this many characters of bodies (big items gain nothing from pipelining). */
const MAX_BATCH_BYTES = 512 * 1024;
/** After `shutdown()` aborts in-flight batches, how long it waits for them to settle (they normally do within a few ticks). */
const SETTLE_MS = 50;

/**
 * The batching HTTP transport: one request per item, bounded queue (items and bytes), bounded
 * concurrency through p-queue, retries with jittered backoff, 429 pauses, and counters for
 * every outcome. Never throws; timers never keep the process alive.
 *
 * Ready items go out in batches, one p-queue job (one connection) per batch: up to 32 consecutive
 * idempotent upserts (traces, span chunks), which the lean sender pipelines in one socket write. A
 * score (every POST inserts) is always a batch of its own. Each item's outcome is handled on its own.
 */
export class Transport {
  private readonly ready = new Deque<QueueItem>();
  private readonly delayed = new Map<QueueItem, Timer>();
  private readonly scores = new ScoreParking();
  /** Batches in flight, by the canceller that aborts them (request timeout, shutdown). */
  private readonly inflight = new Map<Canceller, QueueItem[]>();
  private inflightItems = 0;
  private readonly pq: PQueue;
  private readonly rate: RateWindow;
  private bytes = 0;
  private pausedUntil = 0;
  private rateStreak = 0;
  private batchTimer: Timer | undefined;
  private wakeTimer: Timer | undefined;
  private closed = false;
  private pumpScheduled = false;
  private exiting = false;
  private exitHooked = false;
  /** Resolved when nothing is in flight or ready (exit rounds wait on this). */
  private quietWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];
  private readonly counters = { queued: 0, sent: 0, failed: 0, dropped: 0 };
  private readonly droppedByReason: Partial<Record<DropReason, number>> = {};
  private readonly userAgent = `pandaprobe-typescript/${SDK_VERSION}`;
  /** The last full URL built, kept so that runs of one path reuse one string (cheap for the sender to match). */
  private lastPath: string | undefined;
  private lastUrl = "";
  /** Called first on process exit (the client submits traces still waiting for late spans). */
  beforeExit: (() => void) | undefined;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly sender: HttpSender,
    private readonly report: (info: PandaProbeErrorInfo) => void,
  ) {
    this.pq = new PQueue({ concurrency: config.concurrency });
    this.rate = new RateWindow(config.tracesPerMinute, 60_000);
  }

  /** Items queued, waiting for a retry, parked or in flight. */
  pendingCount(): number {
    return this.ready.length + this.delayed.size + this.inflightItems + this.scores.count;
  }

  stats(): TransportStats {
    return {
      ...this.counters,
      pending: this.pendingCount(),
      pendingBytes: this.bytes,
      droppedByReason: { ...this.droppedByReason },
    };
  }

  /** A trace started: scores for it wait until it is delivered. */
  holdTrace(traceId: string, now: number): void {
    this.scores.hold(traceId, now);
  }

  /** Queues an item; false (and counted) when it is dropped. */
  enqueue(item: QueueItem): boolean {
    if (this.closed) return this.drop(item, "shutdown");
    if (this.pendingCount() >= this.config.maxQueueSize) return this.drop(item, "queue_full");
    if (this.bytes + item.body.length > this.config.maxQueueBytes) return this.drop(item, "queue_bytes");
    this.counters.queued++;
    this.bytes += item.body.length;
    if (!this.exitHooked) {
      this.exitHooked = true;
      registerForExit(this);
    }
    if (this.scores.park(item)) return true;
    this.ready.push(item);
    if (this.ready.length >= this.config.batchSize || this.config.flushIntervalMs === 0) this.pumpSoon();
    else if (!this.batchTimer) this.batchTimer = unrefTimer(() => this.onBatchTimer(), this.config.flushIntervalMs);
    return true;
  }

  /** Sends everything now and resolves when nothing is pending or the timeout passes. Never rejects. */
  async flush(timeoutMs = 10_000): Promise<FlushResult> {
    const before = { ...this.counters };
    this.pump();
    const timedOut = !(await this.waitIdle(timeoutMs));
    const pending = this.pendingCount();
    return {
      ok: pending === 0,
      timedOut,
      sent: this.counters.sent - before.sent,
      failed: this.counters.failed - before.failed,
      dropped: this.counters.dropped - before.dropped,
      pending,
    };
  }

  /**
   * Flushes, then stops: later items are dropped (counted as `shutdown`), in-flight requests aborted. What is
   * still undelivered then is dropped (`shutdown_pending`) and counted in the result's `dropped`, never
   * `pending`. Aborted requests get up to SETTLE_MS more to settle, so the result counts those answered
   * before the abort as sent.
   */
  async shutdown(timeoutMs = 10_000): Promise<FlushResult> {
    const before = { ...this.counters };
    const result = await this.flush(timeoutMs);
    this.closed = true;
    if (this.batchTimer) clearTimeout(this.batchTimer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.batchTimer = this.wakeTimer = undefined;
    const left = this.pendingCount();
    if (left > 0) {
      this.count("shutdown_pending", left);
      logger.warn(`shutdown left ${left} item(s) undelivered (backend unreachable or too slow).`);
    }
    for (const t of this.delayed.values()) clearTimeout(t);
    this.delayed.clear();
    for (const c of this.inflight.keys()) c.abort();
    this.ready.clear();
    this.scores.clear();
    unregisterForExit(this);
    if (this.inflight.size > 0) await this.waitQuiet(SETTLE_MS);
    // Nothing stays pending after a shutdown: what it left undelivered is dropped, and reported so.
    const c = this.counters;
    return {
      ok: left === 0,
      timedOut: result.timedOut,
      sent: c.sent - before.sent,
      failed: c.failed - before.failed,
      dropped: c.dropped - before.dropped,
      pending: 0,
    };
  }

  /** Resolves when no batch is in flight (and nothing is ready, unless closed), or after `ms`. */
  private waitQuiet(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.quietWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * @internal beforeExit: up to three immediate attempts for everything pending, one after the
   * other (each round keeps the process alive only through its own requests), then a warning
   * with the count of what is left.
   */
  flushForExit(): void {
    this.beforeExit?.();
    if (this.closed || this.exiting || this.pendingCount() === 0) return;
    this.exiting = true;
    void (async () => {
      for (let round = 0; round < 3 && this.pendingCount() > 0 && !this.closed; round++) {
        for (const [item, t] of this.delayed) {
          clearTimeout(t);
          this.ready.push(item);
        }
        this.delayed.clear();
        this.pausedUntil = 0;
        this.ready.pushAll(this.scores.takeAll());
        this.pump();
        await new Promise<void>((resolve) => this.quietWaiters.push(resolve));
      }
      const left = this.pendingCount();
      if (left > 0 && !this.closed) {
        this.closed = true;
        this.count("process_exit", left);
        logger.warn(
          `process exiting with ${left} undelivered item(s) after 3 attempts (backend unreachable?); \`await flush()\` earlier to see why.`,
        );
      }
      this.exiting = false;
    })();
  }

  /**
   * Sends on the next turn of the event loop, never synchronously inside the caller's
   * `trace.end()`: starting an HTTP request costs tens of microseconds.
   */
  private pumpSoon(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    const run = () => {
      this.pumpScheduled = false;
      this.pump();
    };
    const setImm = (globalThis as { setImmediate?: (fn: () => void) => { unref?: () => void } }).setImmediate;
    if (typeof setImm === "function") setImm(run).unref?.();
    else unrefTimer(run, 0);
  }

  private onBatchTimer(): void {
    this.batchTimer = undefined;
    this.pump();
  }

  private pump(): void {
    if (this.batchTimer && this.ready.length === 0) {
      clearTimeout(this.batchTimer);
      this.batchTimer = undefined;
    }
    while (this.ready.length > 0 && this.inflight.size < this.config.concurrency) {
      const now = Date.now();
      if (now < this.pausedUntil) return this.wakeAt(this.pausedUntil - now);
      const batch = this.takeBatch(now);
      if (!batch) return;
      const cancel = new Canceller();
      this.inflight.set(cancel, batch);
      this.inflightItems += batch.length;
      void this.pq.add(() => this.send(batch, cancel));
    }
    this.checkIdle();
  }

  /**
   * The next batch: a score alone, or up to MAX_BATCH consecutive traces and span chunks (a burst is
   * spread over connections only when it exceeds one batch). Traces count against the rate window one
   * by one; undefined (and a wake-up armed) when the first item must wait for it.
   */
  private takeBatch(now: number): QueueItem[] | undefined {
    const batch: QueueItem[] = [];
    let bytes = 0;
    for (let item = this.ready.peek(); item; item = this.ready.peek()) {
      if (
        batch.length > 0 &&
        (item.kind === "score" || batch.length >= MAX_BATCH || bytes + item.body.length > MAX_BATCH_BYTES)
      )
        break;
      if (item.kind === "trace") {
        const wait = this.rate.waitMs(now);
        if (wait > 0) {
          if (batch.length === 0) this.wakeAt(wait);
          break;
        }
        this.rate.record(now);
      }
      this.ready.shift();
      batch.push(item);
      bytes += item.body.length;
      if (item.kind === "score") break; // never pipelined: every POST inserts
    }
    return batch.length > 0 ? batch : undefined;
  }

  private wakeAt(ms: number): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = unrefTimer(
      () => {
        this.wakeTimer = undefined;
        this.pump();
      },
      Math.max(1, ms),
    );
  }

  /** One batch: one request-timeout timer and one canceller for all its requests. */
  private async send(batch: QueueItem[], cancel: Canceller): Promise<void> {
    const timer = unrefTimer(() => cancel.abort(), this.config.requestTimeoutMs);
    let results: BatchResult[];
    try {
      const requests: OutgoingRequest[] = new Array(batch.length);
      for (let i = 0; i < batch.length; i++) {
        const item = batch[i];
        requests[i] = {
          method: item.method,
          url: this.urlFor(item.path),
          headers: this.headersFor(item.requestId),
          body: item.body,
        };
      }
      results = await this.sender.sendBatch(requests, cancel);
    } catch (error) {
      results = batch.map(() => asError(error)); // senders never reject; nothing is lost if one does
    } finally {
      clearTimeout(timer);
    }
    this.inflight.delete(cancel);
    this.inflightItems -= batch.length;
    if (this.closed) {
      this.settleAfterShutdown(results);
      return this.checkIdle();
    }
    // After a 429, the rest of the batch that did not get through is requeued without counting an attempt.
    let limited: QueueItem[] | undefined;
    for (let i = 0; i < batch.length; i++) {
      const item = batch[i];
      const r = results[i];
      try {
        const error = r === undefined ? new Error("no result from the sender") : r instanceof Error ? r : undefined;
        const outcome = error ? "retry" : classifyStatus((r as { status: number }).status);
        if (limited && outcome !== "ok" && outcome !== "fail" && !(outcome === "not_found" && !item.retryNotFound))
          limited.push(item);
        else if (error) this.onRetryable(item, `network error: ${errorMessage(error)}`, undefined, error);
        else if (this.onResponse(item, r as HttpResponse)) limited = [item];
      } catch (error) {
        logger.error(`transport bookkeeping failed: ${errorMessage(error)}`);
      }
    }
    if (limited) this.ready.unshift(...limited);
    this.pump();
  }

  private urlFor(path: string): string {
    if (path !== this.lastPath) {
      this.lastPath = path;
      this.lastUrl = this.config.endpoint + path;
    }
    return this.lastUrl;
  }

  /** A literal with fixed keys: much cheaper than spreading a shared object and adding one key. */
  private headersFor(requestId: string): Record<string, string> {
    const { apiKey, projectName } = this.config;
    return {
      "X-API-Key": apiKey,
      "X-Project-Name": projectName,
      "Content-Type": "application/json",
      "User-Agent": this.userAgent,
      "X-Request-ID": requestId,
    };
  }

  /**
   * Shutdown counted this in-flight batch as undelivered (`shutdown_pending`) and aborted it; the requests
   * answered with a 2xx before the abort were delivered after all, and are counted as sent instead.
   */
  private settleAfterShutdown(results: BatchResult[]): void {
    for (const r of results) {
      if (
        r instanceof Error ||
        r === undefined ||
        classifyStatus(r.status) !== "ok" ||
        !this.droppedByReason.shutdown_pending
      )
        continue;
      this.droppedByReason.shutdown_pending--;
      this.counters.dropped--;
      this.counters.sent++;
    }
  }

  /** Handles one item's response; true when it was rate limited (the caller requeues it, sends are paused). */
  private onResponse(item: QueueItem, { status, text, retryAfter }: HttpResponse): boolean {
    const outcome = classifyStatus(status);
    if (outcome === "ok") {
      this.rateStreak = 0;
      this.counters.sent++;
      this.bytes -= item.body.length;
      if (logger.debugEnabled)
        logger.debug(`${item.method} ${item.path} -> ${status} (${item.body.length} bytes, request ${item.requestId})`);
      if (item.followUps) this.ready.unshift(...item.followUps.map((f) => ((this.bytes += f.body.length), f)));
      if (item.kind === "trace" && item.traceId) this.releaseScores(item.traceId);
      return false;
    }
    const message = serverMessage(text);
    if (outcome === "rate_limited" && isQuotaRefusal(status, text)) {
      // The plan quota, not the rate limiter: retrying cannot help before the plan changes, and holding the item
      // would stall everything queued behind it. Dropped, counted and reported loudly; later traces still try once each.
      this.fail(item, "quota_exceeded", {
        kind: "http",
        status,
        serverMessage: message,
        message: `PandaProbe refused a trace: plan quota reached (429: ${message ?? "no detail"}); traces are dropped until the quota resets or the plan is upgraded`,
      });
      return false;
    }
    if (outcome === "rate_limited") {
      this.rateStreak++;
      const pause =
        parseRetryAfter(retryAfter, Date.now(), this.config.retryMaxMs) ??
        backoffMs(this.rateStreak, Math.max(1, this.config.retryBaseMs * 2), this.config.retryMaxMs);
      this.pausedUntil = Math.max(this.pausedUntil, Date.now() + pause);
      this.emit(item, {
        kind: "http",
        status,
        final: false,
        serverMessage: message,
        message: `rate limited (429): pausing sends for ${Math.round(pause)} ms; nothing is dropped`,
      });
      return true;
    }
    if (outcome === "retry" || (outcome === "not_found" && item.retryNotFound))
      this.onRetryable(item, `HTTP ${status}`, status, undefined, message);
    else
      this.fail(item, "rejected", {
        kind: "http",
        status,
        serverMessage: message,
        message: `${item.method} ${item.path} rejected with ${status}${message ? `: ${message}` : ""}`,
      });
    return false;
  }

  private onRetryable(
    item: QueueItem,
    what: string,
    status: number | undefined,
    cause?: unknown,
    message?: string,
  ): void {
    item.attempts++;
    if (item.attempts > this.config.maxRetries) {
      this.fail(item, "retries_exhausted", {
        kind: status ? "http" : "network",
        status,
        cause,
        serverMessage: message,
        message: `${item.method} ${item.path} failed after ${item.attempts} attempts (${what}); item dropped`,
      });
      return;
    }
    const delay = backoffMs(item.attempts, this.config.retryBaseMs, this.config.retryMaxMs);
    this.delayed.set(
      item,
      unrefTimer(() => {
        this.delayed.delete(item);
        this.ready.push(item);
        this.pump();
      }, delay),
    );
    this.emit(item, {
      kind: status ? "http" : "network",
      status,
      cause,
      serverMessage: message,
      final: false,
      message: `${item.method} ${item.path}: ${what}; retry ${item.attempts}/${this.config.maxRetries} in ${Math.round(delay)} ms`,
    });
  }

  private fail(
    item: QueueItem,
    reason: DropReason,
    info: Omit<PandaProbeErrorInfo, "final" | "method" | "path" | "requestId">,
  ): void {
    this.counters.failed++;
    this.droppedByReason[reason] = (this.droppedByReason[reason] ?? 0) + 1;
    this.bytes -= item.body.length;
    if (item.followUps) this.count("parent_failed", item.followUps.length);
    this.emit(item, { ...info, final: true });
    if (item.kind === "trace" && item.traceId) {
      const scores = this.scores.settle(item.traceId);
      if (scores) {
        for (const s of scores) this.bytes -= s.body.length;
        this.count("trace_not_delivered", scores.length);
      }
    }
  }

  private releaseScores(traceId: string): void {
    const scores = this.scores.settle(traceId);
    if (scores) this.ready.pushAll(scores);
  }

  private drop(item: QueueItem, reason: DropReason): false {
    this.count(reason, 1);
    logger.warnOnce(
      `drop:${reason}`,
      `dropped a ${item.kind} (${reason}); see client.stats().droppedByReason for counts.`,
    );
    this.emit(item, { kind: "dropped", final: true, message: `${item.kind} dropped: ${reason}` });
    return false;
  }

  /** Counts a loss that happened before an item reached the queue (the client reports it). */
  countDrop(reason: DropReason, n = 1): void {
    this.count(reason, n);
  }

  private count(reason: DropReason, n: number): void {
    this.counters.dropped += n;
    this.droppedByReason[reason] = (this.droppedByReason[reason] ?? 0) + n;
  }

  private emit(item: QueueItem, info: Omit<PandaProbeErrorInfo, "method" | "path" | "requestId">): void {
    const full: PandaProbeErrorInfo = { ...info, method: item.method, path: item.path, requestId: item.requestId };
    if (info.final) logger.warnOnce(`send:${info.kind}:${info.status ?? ""}`, full.message);
    logger.debug(full.message);
    this.report(full);
  }

  private waitIdle(timeoutMs: number): Promise<boolean> {
    if (this.pendingCount() === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      let done = false;
      const finish = (v: boolean) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(v);
      };
      // Deliberately not unref'd: the caller is awaiting this flush, so it may keep the process up to timeoutMs.
      const timer = setTimeout(
        () => {
          this.idleWaiters = this.idleWaiters.filter((w) => w !== onIdle);
          finish(false);
        },
        Math.max(0, timeoutMs),
      );
      const onIdle = () => finish(true);
      this.idleWaiters.push(onIdle);
    });
  }

  private checkIdle(): void {
    if (this.quietWaiters.length && this.inflight.size === 0 && (this.ready.length === 0 || this.closed)) {
      const quiet = this.quietWaiters;
      this.quietWaiters = [];
      for (const w of quiet) w();
    }
    if (this.idleWaiters.length === 0 || this.pendingCount() !== 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
