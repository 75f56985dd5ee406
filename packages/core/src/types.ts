/** Public types of `@pandaprobe/core`. */

/** What a span represents. Sent upper-case, exactly as the backend's `SpanKind` enum. */
export type SpanKind = "AGENT" | "TOOL" | "LLM" | "RETRIEVER" | "CHAIN" | "EMBEDDING" | "OTHER";

/** Span status. `UNSET` becomes `OK` when a span ends cleanly. */
export type SpanStatus = "UNSET" | "OK" | "ERROR";

/** Trace status. The SDK produces `COMPLETED` or `ERROR`. */
export type TraceStatus = "PENDING" | "RUNNING" | "COMPLETED" | "ERROR";

/** Score data types accepted by `POST /evaluations/trace-scores`. */
export type ScoreDataType = "NUMERIC" | "BOOLEAN" | "CATEGORICAL";

// The same values as objects (`SpanKind.LLM` is "LLM"), as PandaProbe's `pandaprobe` package exports them; the plain
// strings work everywhere too.
/** `SpanKind.LLM` is `"LLM"`, and so on. */
export const SpanKind = Object.freeze({
  AGENT: "AGENT",
  TOOL: "TOOL",
  LLM: "LLM",
  RETRIEVER: "RETRIEVER",
  CHAIN: "CHAIN",
  EMBEDDING: "EMBEDDING",
  OTHER: "OTHER",
} as const);
/** `SpanStatus.OK` is `"OK"`, and so on (the `pandaprobe` package calls it `SpanStatusCode`). */
export const SpanStatus = Object.freeze({ UNSET: "UNSET", OK: "OK", ERROR: "ERROR" } as const);
/** `TraceStatus.COMPLETED` is `"COMPLETED"`, and so on. */
export const TraceStatus = Object.freeze({
  PENDING: "PENDING",
  RUNNING: "RUNNING",
  COMPLETED: "COMPLETED",
  ERROR: "ERROR",
} as const);
/** `ScoreDataType.NUMERIC` is `"NUMERIC"`, and so on. */
export const ScoreDataType = Object.freeze({
  NUMERIC: "NUMERIC",
  BOOLEAN: "BOOLEAN",
  CATEGORICAL: "CATEGORICAL",
} as const);

/**
 * The one token-usage shape every integration records.
 *
 * Meaning (the same for every provider, so totals never double count):
 * - `prompt_tokens`: every input token, cached ones included (cache reads and cache writes).
 * - `completion_tokens`: every output token, reasoning tokens included.
 * - `total_tokens`: `prompt_tokens + completion_tokens` (filled in when both are known).
 * - `reasoning_tokens`: the part of `completion_tokens` spent on reasoning.
 * - `cache_read_tokens`: the part of `prompt_tokens` read from the provider's prompt cache.
 * - `cache_creation_tokens`: the part of `prompt_tokens` written to the provider's prompt cache.
 * A key is omitted when the provider did not report it; `0` means "reported as zero".
 */
export interface TokenUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  reasoning_tokens?: number;
  cache_read_tokens?: number;
  cache_creation_tokens?: number;
}

/** Cost in the backend's shape: `total` is what the backend sums; other keys are informational. */
export type Cost = { total?: number } & Record<string, number | undefined>;

/** A time accepted by the API: a `Date` or epoch milliseconds. */
export type TimeInput = Date | number;

/**
 * A trace's own options. `TraceOptions` adds `client` (which client sends it); the methods of a client take these.
 * Values of the wrong type never throw: they are converted or dropped with one warning naming the option.
 */
export interface BaseTraceOptions {
  /** Explicit user id; wins over `user()`/`setUser()`. Cut to 255 characters. */
  userId?: string;
  /** Explicit session id; wins over `session()`/`setSession()`. Cut to 255 characters. */
  sessionId?: string;
  input?: unknown;
  metadata?: Record<string, unknown>;
  tags?: string[];
  /** Overrides the client's environment for this trace. */
  environment?: string;
  /** Overrides the client's release for this trace. */
  release?: string;
  /** Use your own trace id (a UUID; anything else is replaced by a fresh id, with a warning); a fresh random one otherwise. Re-using the id of a stored trace replaces its fields (the backend upserts). */
  traceId?: string;
  /** Default: now. A time outside years 1 to 9999 is replaced by now, with a warning. */
  startTime?: TimeInput;
}

/** Options for a span. */
export interface SpanOptions {
  kind?: SpanKind;
  input?: unknown;
  metadata?: Record<string, unknown>;
  model?: string;
  modelParameters?: Record<string, unknown>;
  /** Default: now. A time outside years 1 to 9999 is replaced by now, with a warning. */
  startTime?: TimeInput;
  /** Explicit parent span; by default the current span of the context (or none for a root span). */
  parent?: Span;
  /** Use your own span id (a UUID; anything else is replaced by a fresh id, with a warning); a fresh random one otherwise. */
  spanId?: string;
}

/** How a trace ends: `trace.end(options)`. */
export interface TraceEndOptions {
  output?: unknown;
  status?: TraceStatus;
  /** Default: now. */
  endTime?: TimeInput;
}

/** How a span ends: `span.end(options)`. */
export interface SpanEndOptions {
  output?: unknown;
  /** Default: now. */
  endTime?: TimeInput;
  /** Marks the span `ERROR` with this error's message. */
  error?: unknown;
  /**
   * For integration authors: runs later, just before the span is serialised (next turn of the event loop, or at
   * `flush()`), with setters still effective: use it to move output/usage extraction off the caller's path.
   */
  finalize?: (span: Span) => void;
}

/**
 * A trace: one `POST /traces` payload. Every method is safe to call at any time with any value and never throws.
 * When tracing cannot work, you get a no-op trace whose methods do nothing (its id is the nil UUID).
 */
export interface Trace {
  readonly id: string;
  readonly name: string;
  /** True once `end()` was called. */
  readonly ended: boolean;
  readonly userId: string | undefined;
  readonly sessionId: string | undefined;
  setName(name: string): this;
  setInput(input: unknown): this;
  setOutput(output: unknown): this;
  /** Shallow-merges into the trace metadata (the caller's object is never mutated). */
  setMetadata(metadata: Record<string, unknown>): this;
  addTags(...tags: string[]): this;
  setUserId(userId: string | undefined): this;
  setSessionId(sessionId: string | undefined): this;
  setStatus(status: TraceStatus): this;
  /** Marks the trace `ERROR` (the message is kept in metadata `error`). */
  setError(error: unknown): this;
  /** Starts a span in this trace that is not made current; end it with `span.end()`. */
  startSpan(name: string, options?: SpanOptions): Span;
  /**
   * Runs `fn(span)` inside a new span of this trace, made current (spans started inside nest under it), and ends it
   * when `fn` settles: ERROR if it throws or rejects (re-thrown unchanged). Returns exactly what `fn` returns.
   */
  withSpan<T>(name: string, fn: (span: Span) => T): T;
  withSpan<T>(name: string, options: SpanOptions | undefined, fn: (span: Span) => T): T;
  /** @deprecated Use `trace.withSpan(name, options, fn)` (same behaviour). */
  span<T>(name: string, options: SpanOptions, fn: (span: Span) => T): T;
  /**
   * Ends the trace. It is queued as soon as its open spans have ended too, or after the
   * client's `lateSpanTimeoutMs` (spans that end after that are sent on their own).
   */
  end(options?: TraceEndOptions): void;
}

/**
 * A span inside a trace. Every method is safe to call at any time with any value and never throws. When tracing
 * cannot work, you get a no-op span whose methods do nothing.
 */
export interface Span {
  readonly id: string;
  readonly traceId: string;
  readonly trace: Trace;
  readonly parentId: string | undefined;
  readonly name: string;
  readonly kind: SpanKind;
  readonly ended: boolean;
  setName(name: string): this;
  setKind(kind: SpanKind): this;
  setInput(input: unknown): this;
  setOutput(output: unknown): this;
  setModel(model: string | undefined): this;
  setModelParameters(parameters: Record<string, unknown>): this;
  /** Replaces the usage; `total_tokens` is computed when missing. */
  setTokenUsage(usage: TokenUsage): this;
  setCost(cost: Cost): this;
  /** Time of the first streamed token (default: now). Only the first call counts. */
  setCompletionStartTime(time?: TimeInput): this;
  setMetadata(metadata: Record<string, unknown>): this;
  /** Marks the span `ERROR` with the error's message. */
  setError(error: unknown): this;
  setStatus(status: SpanStatus): this;
  /** Starts a child span (not made current). */
  startSpan(name: string, options?: SpanOptions): Span;
  /** Runs `fn(child)` inside a new child span made current, ending it when `fn` settles (see `Trace.withSpan`). */
  withSpan<T>(name: string, fn: (span: Span) => T): T;
  withSpan<T>(name: string, options: SpanOptions | undefined, fn: (span: Span) => T): T;
  /**
   * Ends the span; `UNSET` becomes `OK`. A second call does nothing. A span is captured right after it ends (on the
   * next turn of the event loop, or at `flush()`): data set after that, or objects mutated after that point, are not
   * recorded.
   */
  end(options?: SpanEndOptions): void;
}

/**
 * Outcome of `flush()` / `shutdown()`. The counts cover everything settled since the previous `flush()` or
 * `shutdown()` returned (or since the client was made), so `ok` answers "was everything recorded delivered?".
 */
export interface FlushResult {
  /**
   * True only when everything accepted was delivered: nothing pending, failed or dropped, apart from what sampling
   * left out on purpose (`sampled_out`, counted in `dropped`).
   */
  ok: boolean;
  /** True when the timeout ran out first. */
  timedOut: boolean;
  /** Items delivered. */
  sent: number;
  /** Items the backend refused or that outlasted their retries (see `TransportStats.failedByReason`). */
  failed: number;
  /** Items given up without a final attempt (queue full, quota known to be reached, shut down, ...). */
  dropped: number;
  /**
   * Items still queued, waiting for a retry, or in flight when the call returned, plus (for `flush()`) ended traces
   * still waiting for a span that has not ended (always 0 after `shutdown()`).
   */
  pending: number;
  /**
   * Set when the client sends nothing at all, saying why: the configuration problems (e.g. "no API key (set
   * PANDAPROBE_API_KEY or pass apiKey)", with `ok` false), or "disabled by configuration" (`PANDAPROBE_ENABLED=false`
   * or `enabled: false`, with `ok` true). Absent on a working client.
   */
  disabled?: string;
}

/**
 * Why an item (trace, span chunk or score) was not delivered. Every loss is counted under one of these in
 * `client.stats()` (`failedByReason` when the backend refused it or its retries ran out, `droppedByReason`
 * otherwise) and reported once per reason through `onError` and the log.
 * - `sampled_out`: left out by `sampleRate` or the `sampler`, on purpose (a trace, and the scores for it). Not an
 *   error: neither warned about nor passed to `onError`, and `flush()` is still `ok`.
 * - `over_budget`: shed because more traces waited for the backend's rate budget than `maxBacklogWindows` windows'
 *   worth (see the README's shedding policy: routine traces before errors, conversations not yet being delivered,
 *   whole, before later turns of those that are; later turns of a conversation shed are shed with it).
 * - `queue_full` / `queue_bytes`: the queue's item or byte cap was reached (for traces, the same policy picks which).
 * - `shutdown`: queued after `shutdown()`; `shutdown_pending`: still undelivered when `shutdown()` gave up.
 * - `process_exit`: still undelivered when the process ended (after the exit flush, or on `process.exit()`).
 * - `spooled`: not lost: written to `spoolDir` at process end, delivered by the next process that starts with it.
 * - `retries_exhausted`: network errors or 5xx outlasted every retry.
 * - `rejected`: the backend refused it (4xx other than 404/429), e.g. a 422.
 * - `quota_exceeded`: the plan's trace quota was reached (refused by the backend, or dropped while the SDK knows
 *   the quota is reached; one trace is tried now and then to learn when it is lifted).
 * - `trace_not_stored`: a score or span chunk whose trace the backend accepted but still had not stored after
 *   `waitForTraceMs` (its worker's backlog, or a trace the worker dropped).
 * - `parent_failed`: span chunks whose trace was not delivered; `trace_not_delivered`: scores whose trace was not.
 * - `serialize_failed`: the SDK could not turn the trace into a payload (an internal error, reported).
 * - `recording_overflow`: too much work waiting to be recorded (a synchronous burst beyond the queue's caps: more
 *   ended traces waiting for the next turn of the event loop than `maxQueueSize`, or than `maxQueueBytes` of data).
 * - `recording_failed`: an integration's deferred recording threw, or the SDK failed internally while starting a
 *   trace (reported with the error; the call it was recording is lost).
 */
export type DropReason =
  | "sampled_out"
  | "over_budget"
  | "queue_full"
  | "queue_bytes"
  | "shutdown"
  | "shutdown_pending"
  | "process_exit"
  | "spooled"
  | "retries_exhausted"
  | "rejected"
  | "quota_exceeded"
  | "trace_not_stored"
  | "parent_failed"
  | "trace_not_delivered"
  | "serialize_failed"
  | "recording_overflow"
  | "recording_failed";

/**
 * Running totals of a client's transport. At any time `sent + failed + dropped + pending === accepted`.
 */
export interface TransportStats {
  /** Every item given to the client to send (traces, span chunks, scores), including those dropped at once. */
  accepted: number;
  /** Items that entered the send queue (`accepted` minus those dropped before it). */
  queued: number;
  sent: number;
  /** Refused by the backend or out of retries, by reason in `failedByReason`. */
  failed: number;
  /** Given up without a final attempt, by reason in `droppedByReason`. */
  dropped: number;
  /** Queued, waiting for a retry, parked (scores waiting for their trace) or in flight. */
  pending: number;
  pendingBytes: number;
  /** Failures by reason (see `DropReason`). */
  failedByReason: Partial<Record<DropReason, number>>;
  /** Drops by reason (see `DropReason`). */
  droppedByReason: Partial<Record<DropReason, number>>;
}

/** An error reported to `onError`: never thrown into user code. */
export interface PandaProbeErrorInfo {
  /** `http` (non-2xx), `network`, `config`, `serialize`, `internal`. */
  kind: string;
  message: string;
  status?: number;
  /** The server's message (`detail` / `error` / `errors`), when there is one. */
  serverMessage?: string;
  method?: string;
  path?: string;
  requestId?: string;
  /** True when the item was given up; false when it will be retried. */
  final: boolean;
  cause?: unknown;
}

/** What a score is: `score(options)` and `client.score(options)`; `ScoreOptions` adds `client`. */
export interface BaseScoreOptions {
  traceId: string;
  name: string;
  /** NUMERIC: a number in [0, 1]; BOOLEAN: true/false (or "true"/"false"); CATEGORICAL: a string. */
  value: number | boolean | string;
  dataType?: ScoreDataType;
  reason?: string;
  metadata?: Record<string, unknown>;
}

/** The optional fourth argument of the positional form `score(traceId, name, value, options)`. */
export interface ScoreExtras {
  dataType?: ScoreDataType;
  reason?: string;
  metadata?: Record<string, unknown>;
}

/**
 * A platform's `waitUntil`: keeps a serverless function (or a Worker's request) alive until the promise settles,
 * after the response has been returned. Vercel, Next.js `after`, Cloudflare's `ctx.waitUntil`, Netlify's
 * `context.waitUntil` all have this shape.
 */
export type WaitUntil = (promise: Promise<unknown>) => void;

/**
 * An `AsyncLocalStorage` class (`import { AsyncLocalStorage } from "node:async_hooks"`), for runtimes where the SDK
 * cannot find one itself: Cloudflare Workers with `nodejs_als` only offer it as a module import, never as a global.
 */
// biome-ignore lint/suspicious/noExplicitAny: any runtime's AsyncLocalStorage class, whatever its exact typing
export type AsyncLocalStorageClass = new () => { getStore(): any; run(store: any, fn: (...args: any[]) => any): any };
