import type { AsyncLocalStorageClass, PandaProbeErrorInfo, TraceStatus, WaitUntil } from "../types.js";

/**
 * Client options. Each one not given comes from its `PANDAPROBE_*` environment variable,
 * then from the default shown.
 */
export interface PandaProbeOptions {
  /** `PANDAPROBE_API_KEY`. Required when enabled. */
  apiKey?: string;
  /** `PANDAPROBE_PROJECT_NAME`. Required when enabled; created by the backend on first use. */
  projectName?: string;
  /** `PANDAPROBE_ENDPOINT`, default `https://api.pandaprobe.com`. */
  endpoint?: string;
  /** `PANDAPROBE_ENVIRONMENT`. */
  environment?: string;
  /** `PANDAPROBE_RELEASE`. */
  release?: string;
  /** `PANDAPROBE_ENABLED`, default true. */
  enabled?: boolean;
  /** `PANDAPROBE_BATCH_SIZE`, default 10: send as soon as this many items wait. */
  batchSize?: number;
  /** Default 5,000 ms (`PANDAPROBE_FLUSH_INTERVAL`, in seconds): send waiting items at least this often. */
  flushIntervalMs?: number;
  /** @deprecated In seconds: use `flushIntervalMs`. Still accepted (`flushIntervalMs` wins when both are given). */
  flushInterval?: number;
  /** `PANDAPROBE_MAX_QUEUE_SIZE`, default 1000 items waiting or retrying; beyond, new items are dropped and counted. */
  maxQueueSize?: number;
  /** `PANDAPROBE_DEBUG`, default false: log every request and failure. */
  debug?: boolean;
  /** Bytes waiting or retrying, default 32 MiB; beyond, new items are dropped and counted. */
  maxQueueBytes?: number;
  /** Maximum characters per field (input, output, metadata, ...), default 1,000,000; longer values are cut with a marker. */
  maxFieldSize?: number;
  /** Timeout per request (no answer for this long), default 10,000 ms. */
  requestTimeoutMs?: number;
  /**
   * Attempts per item while the backend fails (network errors, 5xx, 408), default 8. While it fails, one request at a
   * time probes it, with backoff from `retryBaseMs` to `retryMaxMs`; 429s do not use attempts up.
   */
  maxRetries?: number;
  /** First retry delay, default 500 ms (doubled each time, with jitter). */
  retryBaseMs?: number;
  /** Longest retry delay, default 30,000 ms; also how often a trace is tried while the plan quota refuses them. */
  retryMaxMs?: number;
  /** `POST /traces` per rate-limit window, default 100 (the backend's limit per API key); 0 turns pacing off. */
  tracesPerMinute?: number;
  /**
   * How many windows' worth of traces may wait for the rate budget, default 3 (`3 × tracesPerMinute` = 300 traces,
   * about three minutes behind at most). Beyond, the least valuable waiting trace is shed (`over_budget`): routine
   * traces before errors, conversations not yet being delivered before later turns of those that are.
   */
  maxBacklogWindows?: number;
  /** The backend's rate-limit window, default 60,000 ms (change it only for a backend configured otherwise). */
  rateLimitWindowMs?: number;
  /**
   * Added to the window when pacing, default 2,000 ms: the backend's window starts when a request reaches its
   * limiter, after authentication, so pacing by send times alone lets request 101 in.
   */
  rateLimitMarginMs?: number;
  /**
   * How long a score or span chunk keeps retrying while the backend has not stored its trace yet (it answers 500 or
   * 404 until its worker has written the trace), default 600,000 ms.
   */
  waitForTraceMs?: number;
  /** How long an ended trace waits for its still-open spans before it is sent, default 30,000 ms. */
  lateSpanTimeoutMs?: number;
  /** Requests in flight at once, default 4 (for traces; span chunks and scores have as many of their own). */
  concurrency?: number;
  /**
   * At process end (SIGTERM, SIGINT, or the event loop running empty), how long pending items may still be sent
   * before the rest is counted as lost (or spooled), default 2,000 ms. 0: no delivery at process end, no signal
   * handling.
   */
  exitTimeoutMs?: number;
  /**
   * `PANDAPROBE_SPOOL_DIR`. A directory (Node only) to which items still undelivered when the process ends, even by
   * `process.exit()`, are written synchronously; the next client started with the same directory, endpoint and
   * project delivers them. Off by default.
   */
  spoolDir?: string;
  /**
   * `PANDAPROBE_SAMPLE_RATE`, default 1: the share of traces kept, decided per conversation (every trace with the
   * same session id gets the same answer, in every process) and per trace otherwise. Traces with an error are always
   * kept. See the README's Sampling section.
   */
  sampleRate?: number;
  /**
   * Decides, when a trace ends, whether it is kept: `true`, `false`, or a rate in [0, 1] applied like `sampleRate`
   * (by the session's hash, so a conversation gets one answer). It decides instead of `sampleRate`, which still says
   * which traces are recorded cheaply until then. A trace with an error is kept whatever it answers; a sampler that
   * throws (or answers something else) leaves the trace to `sampleRate` (reported once).
   */
  sampler?: Sampler;
  /** Called for every failure (never throws into your code). */
  onError?: (error: PandaProbeErrorInfo) => void;
  /** A `fetch` to send with instead of the default sender (it wins over `agent` and `proxy`). */
  fetch?: typeof fetch;
  /** Node: a `node:http`/`node:https` `Agent` for every request (e.g. your own proxy agent); default a keep-alive agent. */
  agent?: object;
  /**
   * Node: a proxy URL (`http://user:pass@host:port`) for every request; default `HTTPS_PROXY`/`HTTP_PROXY` (and
   * lower-case) with `NO_PROXY` honoured; `false` ignores those variables.
   */
  proxy?: string | false;
  /**
   * Redaction applied to every input, output and metadata value of every trace and span (all integrations) before
   * it is queued: gets the JSON-safe value and what it belongs to, returns what to record (`undefined` records
   * nothing). Return a new value rather than mutating the one given (it may be your own object). A mask that throws
   * records `"[masked: mask failed]"` for that field, never the unmasked value. See `redactStrings()`.
   */
  mask?: MaskFunction;
  /**
   * Registers each trace's delivery with this function when it ends, so a serverless platform keeps the function
   * alive until the trace is sent (e.g. Next.js `after`, Netlify's `context.waitUntil`). Not needed on Vercel (its
   * request context is found by itself), in `wrapWorker()`/`withWaitUntil()`, or on a long-lived server.
   */
  waitUntil?: WaitUntil;
  /**
   * The `AsyncLocalStorage` class to carry context with, where the runtime offers it only as a module import and
   * never as a global: Cloudflare Workers with the `nodejs_als` flag alone
   * (`import { AsyncLocalStorage } from "node:async_hooks"`). Everywhere else it is found without this.
   */
  asyncLocalStorage?: AsyncLocalStorageClass;
  /**
   * Where the `PANDAPROBE_*` variables are read, default `process.env`. `wrapWorker()` passes a Cloudflare Worker's
   * `env` bindings here (without `nodejs_compat` a Worker has no `process.env`).
   */
  env?: Record<string, unknown>;
}

/** Which field a `mask` call is for. */
export interface MaskTarget {
  /** Part of a trace or of a span. */
  kind: "trace" | "span";
  field: "input" | "output" | "metadata";
  /** The trace's or span's name. */
  name: string;
}

/** See `PandaProbeOptions.mask`. */
export type MaskFunction = (value: unknown, target: MaskTarget) => unknown;

/** What a `sampler` is told about a trace that has just ended (read it; do not keep or change it). */
export interface SamplingInfo {
  traceId: string;
  name: string;
  userId: string | undefined;
  sessionId: string | undefined;
  status: TraceStatus;
  /** The trace is `ERROR` or one of its spans is: it is kept whatever the sampler answers. */
  hasError: boolean;
  tags: readonly string[] | undefined;
  metadata: Readonly<Record<string, unknown>> | undefined;
  environment: string | undefined;
  release: string | undefined;
  /** From the trace's start to its end. */
  durationMs: number;
}

/** See `PandaProbeOptions.sampler`: `true` keeps the trace, `false` drops it, a number is a rate in [0, 1]. */
export type Sampler = (info: SamplingInfo) => boolean | number;

/** Resolved configuration. */
export interface ResolvedConfig {
  apiKey: string;
  projectName: string;
  endpoint: string;
  environment?: string;
  release?: string;
  enabled: boolean;
  batchSize: number;
  flushIntervalMs: number;
  maxQueueSize: number;
  maxQueueBytes: number;
  debug: boolean;
  maxFieldSize: number;
  requestTimeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  tracesPerMinute: number;
  maxBacklogWindows: number;
  rateLimitWindowMs: number;
  rateLimitMarginMs: number;
  waitForTraceMs: number;
  lateSpanTimeoutMs: number;
  concurrency: number;
  exitTimeoutMs: number;
  spoolDir: string | undefined;
  agent: object | undefined;
  proxy: string | false | undefined;
  mask: MaskFunction | undefined;
  waitUntil: WaitUntil | undefined;
  sampleRate: number;
  sampler: Sampler | undefined;
  /** Why tracing is off, when it is. */
  disabledReason?: string;
}

export const DEFAULT_ENDPOINT = "https://api.pandaprobe.com";
