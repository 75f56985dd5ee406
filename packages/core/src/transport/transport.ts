import PQueue from "p-queue";
import type { ResolvedConfig } from "../config/options.js";
import type { DropReason, FlushResult, PandaProbeErrorInfo, TransportStats } from "../types.js";
import { errorMessage } from "../utils/guard.js";
import { logger } from "../utils/logger.js";
import { Conversations } from "./conversations.js";
import { Deque } from "./deque.js";
import { type ExitMember, registerForExit, unregisterForExit } from "./exit-hook.js";
import { asError, type HttpResponse, type HttpSender } from "./http-sender.js";
import type { QueueItem } from "./queue-item.js";
import { backoffMs, isQuotaRefusal, parseRetryAfter, serverMessage } from "./retry.js";
import { ScoreParking } from "./score-parking.js";
import { takeSpool, writeSpool } from "./spool.js";
import { deadline, type Timer, unrefTimer } from "./timers.js";
import { TraceBacklog } from "./trace-backlog.js";

/** Reasons under which everything pending goes at once. */
const ENDINGS = new Set<DropReason>(["spooled", "process_exit", "shutdown_pending"]);
/** The longest `Retry-After` honoured. */
const MAX_RETRY_AFTER_MS = 3_600_000;
/**
 * Trace ids remembered as not delivered (their late spans and later scores are dropped at once, not retried against
 * the backend's 404/500 for `waitForTraceMs`); the oldest are forgotten first.
 */
const LOST_TRACES_MAX = 10_000;
/** Reasons under which a waiting trace is shed to make room (its span chunks are counted under the same reason). */
const SHEDDING = new Set<DropReason>(["over_budget", "queue_full", "queue_bytes"]);

/** What a lane sends from: a FIFO (span chunks and scores), or the traces' backlog (errors first). */
interface ReadyQueue {
  readonly length: number;
  push(item: QueueItem): void;
  pushAll(items: readonly QueueItem[]): void;
  unshift(...items: QueueItem[]): void;
  shift(): QueueItem | undefined;
  clear(): void;
}

/**
 * One stream of requests: a p-queue (concurrency, and for traces the rate window) fed with one job per ready item.
 * Jobs bind to an item only when p-queue starts them, so the items stay here, where the transport can hold them
 * back (backend failing, 429 pause), probe with them, spool or count them.
 */
interface Lane<R extends ReadyQueue = ReadyQueue> {
  readonly label: string;
  readonly queue: PQueue;
  readonly ready: R;
  /** Jobs added to the p-queue and not started yet. */
  jobs: number;
  /** Paused after a 429 until the backend's window can have reopened. */
  paused: boolean;
  resumeTimer: Timer | undefined;
  readonly job: () => Promise<void>;
}

/** The backend is failing (5xx, network errors, timeouts): one request at a time probes it. */
interface Failing {
  since: number;
  /** Requests that failed since it started. */
  failures: number;
  /** Probes scheduled so far (the backoff exponent). */
  streak: number;
  probing: boolean;
  timer: Timer | undefined;
}

type Counts = { sent: number; failed: number; dropped: number; sampledOut: number };

/**
 * The HTTP transport: one request per item, two lanes (traces; span chunks and scores) of `concurrency` requests
 * each, paced by p-queue, bounded queue (items and bytes), counters for every outcome. Never throws.
 *
 * - Pacing: `POST /traces` go through a p-queue with `intervalCap` = `tracesPerMinute` per window + margin (strict,
 *   sliding), so the backend's own window never sees request 101.
 * - Shedding: at most `maxBacklogWindows` windows' worth of traces wait unsent, errors sent first; beyond that (or
 *   when the queue's caps are reached) the least valuable waiting trace is shed (see `TraceBacklog`).
 * - 429 (rate limiter): the lane pauses until the backend's window can have reopened; the item goes back, unsent.
 * - 429 (plan quota): the trace fails as `quota_exceeded` and the quota is remembered: later traces are dropped
 *   as `quota_exceeded` without a request, except one every `retryMaxMs` to learn when it is lifted.
 * - Backend failing (network error, timeout, 408, 5xx): all sending stops and one request at a time probes it with
 *   backoff; one warning when it starts failing, one when it recovers. An item gives up after `maxRetries` attempts.
 * - A score or span chunk whose trace is not stored yet (500/404 while the backend's worker catches up) retries on
 *   its own with backoff for up to `waitForTraceMs`.
 * - Process end: see `flushForExit` and `onProcessExit`.
 *
 * `sent + failed + dropped + pending === accepted` at all times. Timers never keep the process alive, except the
 * rate window's while traces wait for it (p-queue's timer: those traces are sendable, at 100 a minute).
 */
export class Transport implements ExitMember {
  private readonly conversations = new Conversations();
  private readonly traces: Lane<TraceBacklog>;
  private readonly others: Lane;
  /** Every item accepted and not settled yet (queued, parked, waiting, held or in flight). */
  private readonly outstanding = new Set<QueueItem>();
  /** Span chunks held by their trace until it is delivered (counted as pending). */
  private heldFollowUps = 0;
  private readonly inflight = new Set<QueueItem>();
  /** Scores and span chunks waiting for their trace to be stored. */
  private readonly waiting = new Map<QueueItem, Timer>();
  /** Items waiting for the probe while the backend fails. */
  private readonly held = new Deque<QueueItem>();
  private readonly scores = new ScoreParking();
  /** Traces not delivered (given up, shed or sampled out), by reason: their later scores and spans are dropped. */
  private readonly lostTraces = new Map<string, DropReason>();
  /** Traces that may wait for the rate budget (`maxBacklogWindows` windows' worth); Infinity without pacing. */
  private readonly backlogCap: number;
  private failing: Failing | undefined;
  private quotaBlocked = false;
  private quotaProbeAt = 0;
  private bytes = 0;
  private closed = false;
  private exiting = false;
  /** The spool directory, until its files have been taken. */
  private spoolToLoad: string | undefined;
  private batchTimer: Timer | undefined;
  private pumpScheduled = false;
  private idleWaiters: Array<() => void> = [];
  private readonly counters = { accepted: 0, queued: 0, sent: 0, failed: 0, dropped: 0 };
  private readonly failedByReason: Partial<Record<DropReason, number>> = {};
  private readonly droppedByReason: Partial<Record<DropReason, number>> = {};
  /** Counters when the previous flush()/shutdown() returned: results cover what was settled since. */
  private mark: Counts = { sent: 0, failed: 0, dropped: 0, sampledOut: 0 };
  /** Called first at process end (the client submits traces still waiting for late spans). */
  beforeExit: (() => void) | undefined;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly sender: HttpSender,
    private readonly report: (info: PandaProbeErrorInfo) => void,
  ) {
    const { concurrency, tracesPerMinute, rateLimitWindowMs, rateLimitMarginMs } = config;
    const window =
      tracesPerMinute > 0
        ? { intervalCap: tracesPerMinute, interval: rateLimitWindowMs + rateLimitMarginMs, strict: true }
        : {};
    this.traces = this.lane(
      "POST /traces",
      new PQueue({ concurrency, ...window }),
      new TraceBacklog(this.conversations),
    );
    this.others = this.lane("span chunks and scores", new PQueue({ concurrency }), new Deque<QueueItem>());
    this.backlogCap =
      tracesPerMinute > 0
        ? Math.max(1, Math.floor(config.maxBacklogWindows * tracesPerMinute))
        : Number.POSITIVE_INFINITY;
    // From the start, so that a signal or `process.exit()` right after the first trace is covered.
    registerForExit(this, { signals: config.exitTimeoutMs > 0 });
    if (config.spoolDir) {
      this.spoolToLoad = config.spoolDir;
      unrefTimer(() => this.loadSpool(), 0);
    }
  }

  private lane<R extends ReadyQueue>(label: string, queue: PQueue, ready: R): Lane<R> {
    const lane: Lane<R> = {
      label,
      queue,
      ready,
      jobs: 0,
      paused: false,
      resumeTimer: undefined,
      job: () => this.runNext(lane),
    };
    return lane;
  }

  /** The items accepted and not settled yet (span chunks a trace still holds come with it). */
  pendingItems(): QueueItem[] {
    return [...this.outstanding];
  }

  /** Items accepted and not settled yet. */
  pendingCount(): number {
    return this.outstanding.size + this.heldFollowUps;
  }

  stats(): TransportStats {
    return {
      ...this.counters,
      pending: this.pendingCount(),
      pendingBytes: this.bytes,
      failedByReason: { ...this.failedByReason },
      droppedByReason: { ...this.droppedByReason },
    };
  }

  /** A trace started: scores for it wait until it is delivered. */
  holdTrace(traceId: string, now: number): void {
    this.scores.hold(traceId, now);
    this.lostTraces.delete(traceId);
  }

  /** Queues an item; false (and counted) when it is dropped. */
  enqueue(item: QueueItem): boolean {
    const followUps = item.followUps?.length ?? 0;
    this.counters.accepted += 1 + followUps;
    if (this.closed) return this.dropAtDoor(item, "shutdown");
    if (item.kind === "trace") {
      if (!this.makeRoomForTrace(item)) return false;
    } else {
      const lost = item.traceId === undefined ? undefined : this.lostTraces.get(item.traceId);
      if (lost && item.kind === "score") return this.dropAtDoor(item, followReason(lost));
      if (this.pendingCount() >= this.config.maxQueueSize) return this.dropAtDoor(item, "queue_full");
      if (this.bytes + item.body.length > this.config.maxQueueBytes) return this.dropAtDoor(item, "queue_bytes");
    }
    this.counters.queued += 1 + followUps;
    this.outstanding.add(item);
    this.heldFollowUps += followUps;
    this.bytes += item.body.length;
    if (this.scores.park(item)) return true;
    this.laneOf(item).ready.push(item);
    if (
      this.traces.ready.length + this.others.ready.length >= this.config.batchSize ||
      this.config.flushIntervalMs === 0
    )
      this.pumpSoon();
    else if (!this.batchTimer) this.batchTimer = unrefTimer(() => this.onBatchTimer(), this.config.flushIntervalMs);
    return true;
  }

  /**
   * Room for a trace within the caps (the queue's items and bytes, and the rate budget's backlog), made by shedding
   * the least valuable waiting traces when it is worth more than they are (see `TraceBacklog`). False (counted) when
   * the trace itself is shed: it is worth least, or its conversation was shed before.
   */
  private makeRoomForTrace(item: QueueItem): boolean {
    const { maxQueueSize, maxQueueBytes } = this.config;
    const sessionId = item.sessionId;
    if (sessionId !== undefined) {
      const shed = this.conversations.get(sessionId)?.shed;
      if (shed && !item.error) return this.dropAtDoor(item, shed);
      item.order = this.conversations.touch(sessionId).order;
    } else item.order = this.conversations.nextOrder();
    if (item.body.length > maxQueueBytes) return this.dropAtDoor(item, "queue_bytes");
    for (;;) {
      const reason: DropReason | undefined =
        this.pendingCount() >= maxQueueSize
          ? "queue_full"
          : this.bytes + item.body.length > maxQueueBytes
            ? "queue_bytes"
            : this.traces.ready.length >= this.backlogCap
              ? "over_budget"
              : undefined;
      if (!reason) return true;
      const { items, conversation } = this.traces.ready.toShed(item);
      if (conversation !== undefined) {
        const c = this.conversations.get(conversation);
        if (c) c.shed = reason;
      }
      const waiting = items.filter((i) => i !== item);
      if (waiting.length) {
        this.traces.ready.remove(waiting);
        for (const i of waiting) this.dropItem(i, reason);
        // Jobs for the shed traces would start, find nothing and still use up slots of the rate window.
        if (this.traces.jobs > this.traces.ready.length) {
          this.traces.queue.clear();
          this.traces.jobs = 0;
        }
      }
      if (waiting.length < items.length) return this.dropAtDoor(item, reason);
    }
  }

  /** Counts items lost before they reached the queue (the client reports them). */
  countDrop(reason: DropReason, n = 1): void {
    this.counters.accepted += n;
    this.counters.dropped += n;
    increment(this.droppedByReason, reason, n);
  }

  /** Sends everything now and resolves when nothing is pending or the timeout passes (any value). Never rejects. */
  async flush(timeoutMs: number): Promise<FlushResult> {
    this.loadSpool();
    this.expedite();
    const idle = await this.waitIdle(timeoutMs);
    return this.result(!idle);
  }

  /**
   * Flushes, then stops: later items are dropped (`shutdown`), in-flight requests aborted. What is still
   * undelivered at the deadline is dropped (`shutdown_pending`, or written to `spoolDir`) and counted in the result's
   * `dropped`, never `pending`. Resolves by the deadline.
   */
  async shutdown(timeoutMs: number): Promise<FlushResult> {
    if (this.closed) return this.result(false);
    this.expedite();
    const idle = await this.waitIdle(timeoutMs);
    const left = this.pendingCount();
    if (left > 0) {
      const { spooled, file } = this.giveUp("shutdown_pending");
      logger.warn(
        file
          ? `shutdown left ${left} item(s) undelivered; ${spooled} written to ${file} for the next start.`
          : `shutdown left ${left} item(s) undelivered (backend unreachable or too slow).`,
      );
    }
    this.close();
    return this.result(!idle);
  }

  /** @internal ExitMember: delivery at process end, bounded by `exitTimeoutMs`. */
  flushForExit(giveUp: boolean): Promise<void> | undefined {
    try {
      this.beforeExit?.();
    } catch {
      /* never break process exit */
    }
    if (this.closed || this.exiting || this.pendingCount() === 0) return undefined;
    if (this.config.exitTimeoutMs <= 0) {
      if (giveUp) this.endOfProcess("the process is ending (exitTimeoutMs is 0: no delivery at process end)");
      return undefined;
    }
    this.exiting = true;
    return (async () => {
      this.expedite();
      const idle = await this.waitIdle(this.config.exitTimeoutMs);
      this.exiting = false;
      if (!idle && giveUp && this.pendingCount() > 0)
        this.endOfProcess(`the process is ending and ${this.config.exitTimeoutMs} ms (exitTimeoutMs) were not enough`);
    })();
  }

  /**
   * @internal ExitMember: the process exits (`process.exit()`, or a fatal error) with items pending; synchronous, so
   * they are only reported (or spooled).
   */
  onProcessExit(): void {
    try {
      this.beforeExit?.();
    } catch {
      /* never break process exit */
    }
    if (!this.closed && this.pendingCount() > 0)
      this.endOfProcess("the process exited (process.exit() or a fatal error)");
  }

  /** Reports (and spools, with `spoolDir`) what is left as the process ends: one line on stderr. */
  private endOfProcess(why: string): void {
    const traces = [...this.outstanding].filter((i) => i.kind === "trace").length;
    const items = this.pendingCount();
    const { spooled, file, error } = this.giveUp("process_exit");
    const what = `${traces} trace(s) (${items} item(s) in all)`;
    if (file && spooled === items)
      logger.warn(
        `${why}: ${what} not delivered yet were written to ${file}; the next start with this spoolDir delivers them.`,
      );
    else if (file)
      logger.warn(
        `${why}: ${what} not delivered; ${spooled} item(s) were written to ${file} for the next start, ${items - spooled} (scores in flight) are lost.`,
      );
    else
      logger.warn(
        `${why}: ${what} not delivered and lost${error ? ` (spooling failed: ${error})` : ""}. \`await flush()\` before the process ends${this.config.spoolDir ? "" : ", or set spoolDir to deliver them on the next start"}.`,
      );
    this.sender.abortAll();
  }

  /**
   * Settles everything still pending: written to `spoolDir` when set (scores in flight excepted: one may have been
   * stored, and scores are not idempotent), else dropped under `reason`.
   */
  private giveUp(reason: DropReason): { spooled: number; file?: string; error?: string } {
    const items = [...this.outstanding];
    const toSpool = this.config.spoolDir ? items.filter((i) => !(i.kind === "score" && this.inflight.has(i))) : [];
    let spooled = 0;
    let file: string | undefined;
    let error: string | undefined;
    if (toSpool.length) {
      ({ file, error } = writeSpool(
        this.config.spoolDir!,
        { endpoint: this.config.endpoint, projectName: this.config.projectName },
        toSpool,
      ));
      if (file) for (const i of toSpool) spooled += 1 + (i.followUps?.length ?? 0);
    }
    const written = file ? new Set(toSpool) : undefined;
    for (const item of items) this.dropItem(item, written?.has(item) ? "spooled" : reason, true);
    this.checkIdle();
    return { spooled, file, error };
  }

  /** Stops everything: timers, lanes, in-flight requests. Later items are dropped as `shutdown`. */
  private close(): void {
    this.closed = true;
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    for (const lane of [this.traces, this.others]) {
      if (lane.resumeTimer) clearTimeout(lane.resumeTimer);
      lane.queue.clear();
      lane.ready.clear();
      lane.jobs = 0;
    }
    if (this.failing?.timer) clearTimeout(this.failing.timer);
    for (const t of this.waiting.values()) clearTimeout(t);
    this.waiting.clear();
    this.held.clear();
    this.scores.clear();
    this.sender.abortAll();
    unregisterForExit(this);
    this.checkIdle();
  }

  /** The counts settled since the previous result; `ok` only when all of it was delivered. */
  private result(timedOut: boolean): FlushResult {
    const c = this.counters;
    const m = this.mark;
    const sent = c.sent - m.sent;
    const failed = c.failed - m.failed;
    const dropped = c.dropped - m.dropped;
    const sampledOut = this.droppedByReason.sampled_out ?? 0;
    const intended = sampledOut - m.sampledOut;
    this.mark = { sent: c.sent, failed: c.failed, dropped: c.dropped, sampledOut };
    const pending = this.pendingCount();
    return { ok: pending === 0 && failed === 0 && dropped === intended, timedOut, sent, failed, dropped, pending };
  }

  /** Sends what is ready now; while the backend fails, probes now instead of after the backoff. */
  expedite(): void {
    this.pump();
    const f = this.failing;
    if (f && !f.probing) this.probe();
  }

  /**
   * Sends on the next turn of the event loop, never synchronously inside the caller's `trace.end()`:
   * starting an HTTP request costs tens of microseconds.
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

  /** Gives every ready item a job in its lane's p-queue (unless the backend is failing or the lane paused). */
  private pump(): void {
    if (this.batchTimer) {
      clearTimeout(this.batchTimer);
      this.batchTimer = undefined;
    }
    if (!this.closed) {
      if (this.failing) this.ensureProbe();
      else {
        this.fill(this.traces);
        this.fill(this.others);
      }
    }
    this.checkIdle();
  }

  private fill(lane: Lane): void {
    if (lane.paused) return;
    while (lane.jobs < lane.ready.length) {
      lane.jobs++;
      lane.queue.add(lane.job).catch(ignore);
    }
  }

  /** A lane's job, started by p-queue (concurrency and rate window allowing): sends the lane's next item. */
  private runNext(lane: Lane): Promise<void> {
    lane.jobs--;
    if (this.failing || lane.paused || this.closed) return DONE;
    const item = lane.ready.shift();
    if (!item) return DONE;
    if (item.kind === "trace" && this.quotaBlocked) {
      const now = Date.now();
      if (now < this.quotaProbeAt) {
        this.dropItem(item, "quota_exceeded");
        this.checkIdle();
        return DONE;
      }
      this.quotaProbeAt = now + this.config.retryMaxMs; // this one finds out whether the quota was lifted
    }
    if (item.kind === "spans" && item.traceId && this.lostTraces.has(item.traceId)) {
      this.dropItem(item, "parent_failed");
      this.checkIdle();
      return DONE;
    }
    return this.send(item, false);
  }

  private async send(item: QueueItem, probe: boolean): Promise<void> {
    this.inflight.add(item);
    if (item.sessionId !== undefined) {
      const c = this.conversations.get(item.sessionId);
      if (c) c.sending = true;
    }
    let response: HttpResponse | undefined;
    let error: Error | undefined;
    try {
      response = await this.sender.send(item);
    } catch (e) {
      error = asError(e);
    }
    this.inflight.delete(item);
    if (probe && this.failing) this.failing.probing = false;
    if (this.outstanding.has(item) && !this.closed) {
      try {
        if (response) this.onResponse(item, response, probe);
        else this.onFailure(item, `network error: ${errorMessage(error)}`, undefined, error, probe);
      } catch (e) {
        logger.error(`transport bookkeeping failed: ${errorMessage(e)}`);
      }
    }
    this.pump();
  }

  private onResponse(item: QueueItem, response: HttpResponse, probe: boolean): void {
    const { status, text } = response;
    if (status >= 200 && status < 300) return this.delivered(item, status, probe);
    const message = serverMessage(text);
    if (status === 429) {
      if (probe) this.recover(item, true);
      if (item.kind === "trace" && isQuotaRefusal(status, text)) return this.quotaRefused(item, message);
      return this.rateLimited(item, response.retryAfter, message);
    }
    if ((status === 404 && item.retryNotFound) || (item.kind === "score" && (status === 500 || status === 404)))
      return this.notStoredYet(item, status, message, probe);
    if (status === 408 || status >= 500)
      return this.onFailure(item, `HTTP ${status}${message ? ` (${message})` : ""}`, status, undefined, probe, message);
    if (probe) this.recover(item, false); // the backend answered: it is up, this item is the problem
    this.fail(item, "rejected", {
      kind: "http",
      status,
      serverMessage: message,
      message: `${item.method} ${item.path} rejected with ${status}${message ? `: ${message}` : ""}`,
    });
  }

  private delivered(item: QueueItem, status: number, probe: boolean): void {
    this.settle(item);
    this.counters.sent++;
    if (logger.debugEnabled)
      logger.debug(`${item.method} ${item.path} -> ${status} (${item.body.length} bytes, request ${item.requestId})`);
    // Any success while failing means the backend works again (the probe's, or one in flight when it began).
    if (this.failing) this.recover(item, probe);
    if (item.followUps) {
      const followUps = item.followUps;
      item.followUps = undefined;
      this.heldFollowUps -= followUps.length;
      for (const f of followUps) {
        this.outstanding.add(f);
        this.bytes += f.body.length;
        this.others.ready.push(f);
      }
    }
    if (item.kind === "trace" && item.traceId) {
      this.lostTraces.delete(item.traceId);
      if (this.quotaBlocked) {
        this.quotaBlocked = false;
        logger.warn("the plan quota accepts traces again: sending resumes.");
      }
      const scores = this.scores.settle(item.traceId);
      if (scores) this.others.ready.pushAll(scores);
    }
  }

  /** A 429 from the rate limiter: the item goes back unsent and its lane waits until the window can have reopened. */
  private rateLimited(item: QueueItem, retryAfter: string | undefined, message: string | undefined): void {
    const lane = this.laneOf(item);
    lane.ready.unshift(item);
    if (lane.paused) return;
    const pause =
      parseRetryAfter(retryAfter, Date.now(), MAX_RETRY_AFTER_MS) ??
      this.config.rateLimitWindowMs + this.config.rateLimitMarginMs;
    lane.paused = true;
    lane.queue.clear();
    lane.jobs = 0;
    lane.resumeTimer = unrefTimer(() => {
      lane.paused = false;
      lane.resumeTimer = undefined;
      this.pump();
    }, pause);
    this.emit(item, {
      kind: "http",
      status: 429,
      final: false,
      serverMessage: message,
      message: `rate limited (429): ${lane.label} paused for ${Math.round(pause)} ms, until the backend's window can have reopened; nothing is dropped`,
    });
  }

  /** The plan quota refused a trace: it fails, and later traces are dropped until a probe is accepted. */
  private quotaRefused(item: QueueItem, message: string | undefined): void {
    const wasBlocked = this.quotaBlocked;
    this.quotaBlocked = true;
    this.quotaProbeAt = Date.now() + this.config.retryMaxMs;
    this.fail(item, "quota_exceeded", {
      kind: "http",
      status: 429,
      serverMessage: message,
      message: `PandaProbe refused a trace: plan quota reached (429: ${message ?? "no detail"})`,
    });
    if (!wasBlocked)
      logger.warn(
        `PandaProbe refused a trace: plan quota reached (429: ${message ?? "no detail"}). Traces are dropped (counted as quota_exceeded) until the quota resets or the plan is upgraded; one is tried every ${Math.round(this.config.retryMaxMs / 1000)} s to find out. Scores are not affected.`,
      );
  }

  /** The backend has not stored this item's trace yet (its worker is behind): retry on its own, for a while. */
  private notStoredYet(item: QueueItem, status: number, message: string | undefined, probe: boolean): void {
    if (probe) this.scheduleProbe(); // an answer, but not proof that the backend works again
    const now = Date.now();
    item.waitingSince ??= now;
    if (now - item.waitingSince >= this.config.waitForTraceMs) {
      this.fail(item, "trace_not_stored", {
        kind: "http",
        status,
        serverMessage: message,
        message: `${item.method} ${item.path}: its trace was accepted but still not stored after ${Math.round(this.config.waitForTraceMs / 1000)} s (last answer ${status}); given up`,
      });
      return;
    }
    item.waits = (item.waits ?? 0) + 1;
    const delay = backoffMs(item.waits, this.config.retryBaseMs, this.config.retryMaxMs);
    this.waiting.set(
      item,
      unrefTimer(() => this.retryWaiting(item), delay),
    );
    this.emit(item, {
      kind: "http",
      status,
      final: false,
      serverMessage: message,
      message: `${item.method} ${item.path}: ${status}, its trace is not stored yet; retry in ${Math.round(delay)} ms`,
    });
  }

  private retryWaiting(item: QueueItem): void {
    this.waiting.delete(item);
    if (!this.outstanding.has(item) || this.closed) return;
    if (this.failing) this.held.push(item);
    else this.laneOf(item).ready.unshift(item);
    this.pump();
  }

  /** Network error, timeout, 408 or 5xx: the backend is failing. */
  private onFailure(
    item: QueueItem,
    what: string,
    status: number | undefined,
    cause: unknown,
    probe: boolean,
    message?: string,
  ): void {
    item.attempts++;
    const kind = status ? "http" : "network";
    if (item.attempts > this.config.maxRetries) {
      this.fail(item, "retries_exhausted", {
        kind,
        status,
        cause,
        serverMessage: message,
        message: `${item.method} ${item.path} failed after ${item.attempts} attempts (${what}); item dropped`,
      });
    } else {
      this.held.push(item);
      this.emit(item, {
        kind,
        status,
        cause,
        serverMessage: message,
        final: false,
        message: `${item.method} ${item.path}: ${what}; attempt ${item.attempts}/${this.config.maxRetries + 1}`,
      });
    }
    if (!this.failing) {
      this.failing = { since: Date.now(), failures: 0, streak: 0, probing: false, timer: undefined };
      for (const lane of [this.traces, this.others]) {
        lane.queue.clear();
        lane.jobs = 0;
      }
      logger.warn(
        `delivery is failing (${what}): sending stops and one request at a time probes the backend until it answers; items are kept (see onError for each failure).`,
      );
    }
    this.failing.failures++;
    if (probe) this.scheduleProbe();
    else this.ensureProbe();
  }

  private ensureProbe(): void {
    const f = this.failing;
    if (f && !f.probing && !f.timer) this.scheduleProbe();
  }

  private scheduleProbe(): void {
    const f = this.failing;
    if (!f || f.timer || this.closed) return;
    f.streak++;
    f.timer = unrefTimer(
      () => {
        f.timer = undefined;
        this.probe();
      },
      backoffMs(f.streak, this.config.retryBaseMs, this.config.retryMaxMs),
    );
  }

  /** Sends one item outside the lanes; its answer decides whether the backend works again. */
  private probe(): void {
    const f = this.failing;
    if (!f || f.probing || this.closed) return;
    if (f.timer) clearTimeout(f.timer);
    f.timer = undefined;
    const item = this.held.shift() ?? this.traces.ready.shift() ?? this.others.ready.shift();
    if (!item) return; // nothing to probe with: the next item queued schedules a probe
    f.probing = true;
    void this.send(item, true);
  }

  /** The backend answered: sending resumes, held items first. `bypassed`: `item` was a probe, outside the lanes. */
  private recover(item: QueueItem, bypassed: boolean): void {
    const f = this.failing;
    if (!f) return;
    this.failing = undefined;
    if (f.timer) clearTimeout(f.timer);
    logger.warn(
      `delivery recovered after ${((Date.now() - f.since) / 1000).toFixed(1)} s (${f.failures} failed request(s)): sending resumes.`,
    );
    // The probe bypassed the rate window; the backend counted it, so it takes a slot now.
    if (bypassed && item.kind === "trace" && this.config.tracesPerMinute > 0) this.traces.queue.add(noop).catch(ignore);
    const back: QueueItem[] = [];
    for (let i = this.held.shift(); i; i = this.held.shift()) back.push(i);
    for (let i = back.length - 1; i >= 0; i--) this.laneOf(back[i]!).ready.unshift(back[i]!);
  }

  private laneOf(item: QueueItem): Lane {
    return item.kind === "trace" ? this.traces : this.others;
  }

  /** Removes a settled item from the pending set; false when it was settled already. */
  private settle(item: QueueItem): boolean {
    if (!this.outstanding.delete(item)) return false;
    this.bytes -= item.body.length;
    const t = this.waiting.get(item);
    if (t) {
      clearTimeout(t);
      this.waiting.delete(item);
    }
    settled(item);
    return true;
  }

  /** The backend refused the item, or its retries ran out. */
  private fail(
    item: QueueItem,
    reason: DropReason,
    info: Omit<PandaProbeErrorInfo, "final" | "method" | "path" | "requestId">,
  ): void {
    if (!this.settle(item)) return;
    this.counters.failed++;
    increment(this.failedByReason, reason, 1);
    this.emit(item, { ...info, final: true });
    this.afterLoss(item);
  }

  /** An item given up without a final attempt (quota known, shut down, process end, ...). */
  private dropItem(item: QueueItem, reason: DropReason, quiet = false): void {
    if (!this.settle(item)) return;
    this.counters.dropped++;
    increment(this.droppedByReason, reason, 1);
    if (!quiet) this.reportDrop(item, reason);
    this.afterLoss(item, reason);
  }

  /**
   * Follow-ups and scores of an item that will not be delivered (dropped under `reason`, or failed without one). When
   * everything goes at once (shutdown, process end, spool) they share its fate; a shed trace's span chunks are counted
   * under its reason; otherwise they fail with their trace (`parent_failed`, `trace_not_delivered`).
   */
  private afterLoss(item: QueueItem, reason?: DropReason): void {
    const ending = reason !== undefined && ENDINGS.has(reason);
    const followUps = item.followUps?.length ?? 0;
    if (followUps) {
      this.heldFollowUps -= followUps;
      this.counters.dropped += followUps;
      increment(this.droppedByReason, ending || SHEDDING.has(reason!) ? reason! : "parent_failed", followUps);
      for (const f of item.followUps!) settled(f);
    }
    if (item.kind === "trace" && item.traceId && !ending) this.traceLost(item.traceId);
  }

  /** A trace will not be delivered: scores parked for it, and later ones and its span chunks, are dropped. */
  private traceLost(traceId: string): void {
    this.rememberLost(traceId, "trace_not_delivered");
    this.forgetTrace(traceId, "trace_not_delivered");
  }

  private dropAtDoor(item: QueueItem, reason: DropReason): false {
    const n = 1 + (item.followUps?.length ?? 0);
    this.counters.dropped += n;
    increment(this.droppedByReason, reason, n);
    this.reportDrop(item, reason);
    if (item.kind === "trace" && item.traceId) this.traceLost(item.traceId);
    return false;
  }

  private reportDrop(item: QueueItem, reason: DropReason): void {
    if (reason === "sampled_out") return; // what was asked for, not a loss
    logger.warnOnce(
      `drop:${reason}`,
      reason === "over_budget"
        ? `more traces than the rate budget takes (tracesPerMinute ${this.config.tracesPerMinute}): the least valuable are shed (over_budget, errors last); a sampleRate below 1 keeps whole conversations instead.`
        : `dropped a ${item.kind} (${reason}); see client.stats().droppedByReason for counts.`,
    );
    this.emit(item, { kind: "dropped", final: true, message: `${item.kind} dropped: ${reason}` });
  }

  /**
   * A trace was given up (`reason`): it is no longer held, and scores parked for it are dropped (`sampled_out` for a
   * sampled-out trace, else `trace_not_delivered`). Failed and sampled-out traces are remembered (the latest 10,000),
   * so their later scores are dropped at once instead of waiting `waitForTraceMs` for a trace that never comes.
   */
  forgetTrace(traceId: string, reason: DropReason): void {
    // Scores often come well after a trace (user feedback): those for a sampled-out trace are dropped at once.
    if (reason === "sampled_out") this.rememberLost(traceId, reason);
    const scores = this.scores.settle(traceId);
    if (scores) for (const s of scores) this.dropItem(s, followReason(reason));
  }

  private rememberLost(traceId: string, reason: DropReason): void {
    this.lostTraces.delete(traceId);
    this.lostTraces.set(traceId, reason);
    if (this.lostTraces.size > LOST_TRACES_MAX) this.lostTraces.delete(this.lostTraces.keys().next().value as string);
  }

  private emit(item: QueueItem, info: Omit<PandaProbeErrorInfo, "method" | "path" | "requestId">): void {
    const full: PandaProbeErrorInfo = { ...info, method: item.method, path: item.path, requestId: item.requestId };
    if (info.final && info.kind !== "dropped") logger.warnOnce(`send:${info.kind}:${info.status ?? ""}`, full.message);
    logger.debug(full.message);
    this.report(full);
  }

  /** Queues the items left by an earlier process in `spoolDir` for this endpoint and project (once). */
  private loadSpool(): void {
    const dir = this.spoolToLoad;
    this.spoolToLoad = undefined;
    if (!dir || this.closed) return;
    const { items, files, error } = takeSpool(dir, {
      endpoint: this.config.endpoint,
      projectName: this.config.projectName,
    });
    if (error) logger.warnOnce(`spool:${error}`, `spoolDir "${dir}" cannot be read: ${error}`);
    if (!files) return;
    logger.debug(`delivering ${items.length} item(s) spooled by an earlier process (${files} file(s) in ${dir})`);
    for (const item of items) this.enqueue(item);
  }

  /** Resolves true when nothing is pending, false when `timeoutMs` passes first (any value, Infinity included). */
  private waitIdle(timeoutMs: number): Promise<boolean> {
    if (this.pendingCount() === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onIdle = () => {
        timer.cancel();
        resolve(true);
      };
      // Keeps the process alive: the caller awaits this (a flush, or the bounded delivery at process end).
      const timer = deadline(timeoutMs, () => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== onIdle);
        resolve(false);
      });
      this.idleWaiters.push(onIdle);
    });
  }

  private checkIdle(): void {
    if (this.idleWaiters.length === 0 || this.pendingCount() !== 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

/** Tells whoever waits for `item` (a delivery registered with `waitUntil`) that it is settled. */
function settled(item: QueueItem): void {
  const cb = item.onSettled;
  if (!cb) return;
  item.onSettled = undefined;
  try {
    cb();
  } catch {
    /* bookkeeping of our own; never breaks the transport */
  }
}

/** The reason a score or span chunk is dropped for when its trace was lost for `reason`. */
function followReason(reason: DropReason): DropReason {
  return reason === "sampled_out" ? "sampled_out" : "trace_not_delivered";
}

function increment(counts: Partial<Record<DropReason, number>>, reason: DropReason, n: number): void {
  counts[reason] = (counts[reason] ?? 0) + n;
}

const DONE: Promise<void> = Promise.resolve();

function noop(): void {}
function ignore(): void {}
