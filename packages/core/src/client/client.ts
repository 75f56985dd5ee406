import type { PandaProbeOptions, ResolvedConfig } from "../config/options.js";
import { resolveConfig } from "../config/resolve-config.js";
import { buildScorePayload } from "../scores/score-payload.js";
import { spanJson, traceJson } from "../serialize/to-wire.js";
import type { TraceSink } from "../tracing/sink.js";
import type { SpanImpl } from "../tracing/span-impl.js";
import type { TraceImpl } from "../tracing/trace-impl.js";
import { isNode } from "../transport/builtin.js";
import { chooseSender } from "../transport/choose-sender.js";
import type { QueueItem } from "../transport/queue-item.js";
import { deadline } from "../transport/timers.js";
import { Transport } from "../transport/transport.js";
import type {
  DropReason,
  FlushResult,
  PandaProbeErrorInfo,
  ScoreOptions,
  Trace,
  TraceOptions,
  TransportStats,
} from "../types.js";
import { errorMessage, guard, onInternalError } from "../utils/guard.js";
import { newId } from "../utils/ids.js";
import { logger } from "../utils/logger.js";
import { createTrace, runTrace } from "../tracing/start.js";
import { drainDeferred } from "../tracing/finalizer.js";
import { nowMs } from "../utils/time.js";

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

/** A timeout as given (Infinity included); NaN, negative or missing values mean the default. */
function timeoutOf(options: { timeoutMs?: number } | undefined): number {
  const t = options?.timeoutMs;
  return typeof t === "number" && t >= 0 ? t : DEFAULT_TIMEOUT_MS;
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
export class PandaProbe implements TraceSink {
  /** The resolved configuration (read-only). */
  readonly config: ResolvedConfig;
  private readonly transport: Transport | undefined;
  private readonly listeners = new Set<(e: PandaProbeErrorInfo) => void>();
  /** Ended traces waiting for their open spans (submitted when the last one ends, or at the late-span deadline). */
  private readonly waiting = new Set<TraceImpl>();
  /** `flush()` calls waiting for one of those to be submitted. */
  private readonly waitingWatchers = new Set<() => void>();
  private isShutDown = false;
  private unsubscribeInternal: (() => void) | undefined;

  constructor(options: PandaProbeOptions = {}) {
    const { config, problems } = resolveConfig(options);
    this.config = config;
    if (config.debug) logger.setDebug(true);
    if (options.onError) this.listeners.add(options.onError);
    if (problems.length) {
      const msg = `PandaProbe configuration problem: ${problems.join("; ")}.${config.enabled ? "" : " Tracing is disabled (a no-op) until this is fixed."}`;
      logger.warnOnce(`config:${problems.join("|")}`, msg);
      this.emit({ kind: "config", message: msg, final: true });
    }
    if (config.enabled) {
      warnIfNodeTooOld();
      const sender = chooseSender(config, options.fetch);
      if (!sender) {
        logger.warnOnce(
          "config:fetch",
          "PandaProbe: no fetch() in this runtime; pass `fetch` in the options. Tracing is disabled.",
        );
        this.config.enabled = false;
        this.config.disabledReason = "no fetch implementation";
      } else {
        this.transport = new Transport(config, sender, (e) => this.emit(e));
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
  }

  /** False when disabled by configuration, misconfigured, or shut down. */
  get enabled(): boolean {
    return this.config.enabled && !this.isShutDown;
  }

  /** Starts a trace you end yourself with `trace.end()`. */
  startTrace(name: string, options?: TraceOptions): Trace;
  /** Runs `fn(trace)` with the trace current and ends it when `fn` settles (ERROR if it throws; the error is re-thrown). */
  startTrace<T>(name: string, options: TraceOptions | undefined, fn: (trace: Trace) => T): T;
  startTrace<T>(name: string, options?: TraceOptions, fn?: (trace: Trace) => T): Trace | T {
    const opts = { ...options, client: this };
    return fn ? runTrace(name, opts, fn) : createTrace(name, opts);
  }

  /**
   * Queues a score for a trace (`POST /evaluations/trace-scores`, source PROGRAMMATIC). Values are
   * checked per data type; an invalid score is reported (warning + onError) and false returned.
   * A score for a trace not yet delivered waits for it, then retries until the backend has stored the trace.
   */
  score(options: ScoreOptions): boolean {
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
        return this.transport.enqueue(
          this.item("score", "/evaluations/trace-scores", JSON.stringify(body), options.traceId),
        );
      },
      false,
    );
  }

  /**
   * Sends everything recorded so far; resolves (never rejects) within `timeoutMs` (default 10 s; any value, Infinity
   * included) to what was settled since the previous `flush()`/`shutdown()`: `ok` only when all of it was delivered.
   * A trace that has ended but still has an open span (a stream being read) is waited for, within the timeout, and
   * sent as soon as that span ends; one still waiting when the time is up counts as `pending` (`ok` false).
   */
  async flush(options: { timeoutMs?: number } = {}): Promise<FlushResult> {
    const transport = this.transport;
    if (!transport) return { ...EMPTY_RESULT };
    try {
      const timeoutMs = timeoutOf(options);
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
    if (!this.transport || this.isShutDown) return { ...EMPTY_RESULT, pending: this.transport?.pendingCount() ?? 0 };
    this.submitWaiting();
    this.isShutDown = true;
    this.unsubscribeInternal?.();
    try {
      return await this.transport.shutdown(timeoutOf(options));
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
  traceStarted(trace: TraceImpl): void {
    this.transport?.holdTrace(trace.id, Date.now());
  }

  /** @internal TraceSink */
  traceWaiting(trace: TraceImpl): void {
    this.waiting.add(trace);
  }

  /** @internal TraceSink */
  submitTrace(trace: TraceImpl): void {
    const waited = this.waiting.delete(trace);
    try {
      if (this.transport) this.enqueueTrace(this.transport, trace);
    } finally {
      if (waited && this.waitingWatchers.size > 0) for (const w of [...this.waitingWatchers]) w();
    }
  }

  private enqueueTrace(transport: Transport, trace: TraceImpl): void {
    const { body, extraSpanChunks } = traceJson(trace, this.config);
    const item = this.item("trace", "/traces", body, trace.id);
    if (extraSpanChunks.length) {
      item.followUps = extraSpanChunks.map((chunk) => {
        const f = this.item("spans", `/traces/${trace.id}/spans`, chunk, trace.id);
        f.retryNotFound = true;
        return f;
      });
      // Follow-ups are counted in bytes when released, not now.
    }
    transport.enqueue(item);
  }

  /** @internal TraceSink */
  traceDropped(trace: TraceImpl, reason: DropReason, error?: unknown): void {
    const message = `trace "${trace.name}" (${trace.id}) dropped: ${reason}${error === undefined ? "" : ` (${errorMessage(error)})`}`;
    this.transport?.countDrop(reason);
    logger.warnOnce(`drop:${reason}`, `${message}; see client.stats().droppedByReason for counts.`);
    this.emit({ kind: "dropped", message, final: true, cause: error });
  }

  /** @internal TraceSink */
  submitLateSpan(trace: TraceImpl, span: SpanImpl): void {
    if (!this.transport) return;
    const item = this.item(
      "spans",
      `/traces/${trace.id}/spans`,
      `[${span.json ?? spanJson(span, this.config)}]`,
      trace.id,
    );
    item.retryNotFound = true;
    this.transport.enqueue(item);
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
