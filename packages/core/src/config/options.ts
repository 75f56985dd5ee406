import type { PandaProbeErrorInfo } from "../types.js";

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
  /** `PANDAPROBE_FLUSH_INTERVAL` in seconds, default 5: send waiting items at least this often. */
  flushInterval?: number;
  /** `PANDAPROBE_MAX_QUEUE_SIZE`, default 1000 items waiting or retrying; beyond, new items are dropped and counted. */
  maxQueueSize?: number;
  /** `PANDAPROBE_DEBUG`, default false: log every request and failure. */
  debug?: boolean;
  /** Bytes waiting or retrying, default 32 MiB; beyond, new items are dropped and counted. */
  maxQueueBytes?: number;
  /** Maximum characters per field (input, output, metadata, ...), default 1,000,000; longer values are cut with a marker. */
  maxFieldSize?: number;
  /** Timeout per request, default 10,000 ms; for a pipelined batch, for the whole batch (unanswered requests are retried). */
  requestTimeoutMs?: number;
  /** Retries for network errors, 5xx and 408, default 8 (about 2 minutes of backoff). 429s do not use retries up. */
  maxRetries?: number;
  /** First retry delay, default 500 ms (doubled each time, with jitter). */
  retryBaseMs?: number;
  /** Longest retry delay or 429 pause, default 30,000 ms. */
  retryMaxMs?: number;
  /** Client-side limit on `POST /traces` per minute, default 100 (the backend's limit); 0 turns it off. */
  tracesPerMinute?: number;
  /** How long an ended trace waits for its still-open spans before it is sent, default 30,000 ms. */
  lateSpanTimeoutMs?: number;
  /** Connections in flight at once, default 4 (a burst of traces is pipelined on one connection, up to 32 per batch). */
  concurrency?: number;
  /** Called for every failure (never throws into your code). */
  onError?: (error: PandaProbeErrorInfo) => void;
  /** A `fetch` implementation, default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /**
   * Redaction applied to every input, output and metadata value of every trace and span (all integrations) before
   * it is queued: gets the JSON-safe value and what it belongs to, returns what to record (`undefined` records
   * nothing). Return a new value rather than mutating the one given (it may be your own object). A mask that throws
   * records `"[masked: mask failed]"` for that field, never the unmasked value. See `redactStrings()`.
   */
  mask?: MaskFunction;
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
  lateSpanTimeoutMs: number;
  concurrency: number;
  mask: MaskFunction | undefined;
  /** Why tracing is off, when it is. */
  disabledReason?: string;
}

export const DEFAULT_ENDPOINT = "https://api.pandaprobe.com";
