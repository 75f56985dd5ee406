/** Public types of `@pandaprobe/testing`. */
import type { FieldError } from "./validate.js";

export type { FieldError };

/** An API key known to the stand-in. Keys of the same organization share projects. */
export interface ApiKeySpec {
  key: string;
  /** Organization the key belongs to (default "org-default"). */
  organization?: string;
  /** An expired key answers 401 "API key has expired. Please generate a new one." */
  expired?: boolean;
  /** A revoked key answers 401 "Invalid or revoked API key." */
  revoked?: boolean;
}

/** A fixed-window rate limit counted per credential. */
export interface RateLimitOptions {
  limit: number;
  windowMs: number;
}

/** Plan quota on `POST /traces` (429 `{"detail": ...}`), counted per organization, re-posts included. */
export interface QuotaOptions {
  /** Plan name used in the message (default "HOBBY"). */
  plan?: string;
  /** Hard limit per period (default 100). */
  limit?: number;
  /** "none" → no subscription, "inactive" → inactive subscription (every POST /traces gets 429). */
  subscription?: "active" | "none" | "inactive";
}

export interface StandInOptions {
  /** Accepted API keys (default `["sk_pp_test"]`); the first is `standIn.apiKey`. */
  apiKeys?: Array<string | ApiKeySpec>;
  /** Project name put in `clientOptions` (default "test-project"). Any valid name is auto-created. */
  projectName?: string;
  /** With `false` a request without credentials is the local dev user (AUTH_ENABLED=false). Default true. */
  authEnabled?: boolean;
  /**
   * Delay before a `POST /traces` becomes visible (the Celery worker). Default 0 = visible before the 202. Until then
   * a score for the trace gets 500 and a `POST /traces/{id}/spans` 404, as on the real backend. `Infinity` holds
   * every trace until `standIn.persistQueued()` (deterministic tests of the race).
   */
  persistDelayMs?: number;
  /** `POST /traces` rate limit (default 100 per 60 s); `false` disables it. */
  traceRateLimit?: RateLimitOptions | false;
  /** Default per-path limit of every other route (default 200 per 60 s); `false` disables it. */
  defaultRateLimit?: RateLimitOptions | false;
  /** Plan quota mode (off unless given). */
  quota?: QuotaOptions;
  /**
   * After an unhandled 500 the real server drops the keep-alive connection: the client's next request on that
   * socket is reset. Default true.
   */
  resetConnectionAfter500?: boolean;
  /** Port (default 0 = random). The server always binds to 127.0.0.1. */
  port?: number;
  /** Serve HTTPS with this PEM key and certificate (the URL is then `https://127.0.0.1:port`). */
  tls?: { key: string; cert: string };
}

/** One request the stand-in received. */
export interface RecordedRequest {
  /** Sequence number (1-based). */
  seq: number;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string | string[]>;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON body; the raw text when it was not JSON; undefined when empty. */
  body: unknown;
  rawBody: string;
  /** Response status; undefined while the request is hanging; 0 when the connection was reset. */
  status?: number;
  /** Response body (parsed JSON or text). */
  response?: unknown;
  /** X-Request-ID sent back (the client's, or a generated UUID). */
  requestId: string;
  receivedAt: number;
  respondedAt?: number;
  /** Set when an injected fault decided the outcome. */
  fault?: string;
  /**
   * The trace was accepted (202) but dropped by the worker because Postgres refused it: "nul" for a "\u0000",
   * "lone-surrogate" for half of a UTF-16 surrogate pair in a free-form value (input, output, metadata values).
   */
  dropped?: "nul" | "lone-surrogate";
  /** The route template that matched ("/traces/{trace_id}"), if any. */
  route?: string;
}

export interface SpanResponse {
  span_id: string;
  trace_id: string;
  parent_span_id: string | null;
  name: string;
  kind: string;
  status: string;
  input: unknown;
  output: unknown;
  model: string | null;
  token_usage: Record<string, unknown> | null;
  metadata: Record<string, unknown>;
  started_at: string;
  ended_at: string | null;
  error: string | null;
  completion_start_time: string | null;
  model_parameters: Record<string, unknown> | null;
  cost: Record<string, number> | null;
  latency_ms: number | null;
  time_to_first_token_ms: number | null;
}

/** A persisted trace as `GET /traces/{id}` returns it (spans inline, server totals). */
export interface TraceResponse {
  trace_id: string;
  project_id: string;
  name: string;
  status: string;
  input: unknown;
  output: unknown;
  metadata: Record<string, unknown>;
  started_at: string;
  ended_at: string | null;
  session_id: string | null;
  user_id: string | null;
  tags: string[];
  environment: string | null;
  release: string | null;
  spans: SpanResponse[];
  total_tokens: number;
  total_cost: number;
}

export interface TraceScoreResponse {
  id: string;
  trace_id: string;
  name: string;
  value: string | null;
  status: string;
  source: string;
  created_at: string;
  project_id: string;
  data_type: string;
  eval_run_id: string | null;
  author_user_id: string | null;
  reason: string | null;
  environment: string | null;
  config_id: string | null;
  metadata: Record<string, unknown>;
  updated_at: string;
}

/** Schema problems of one received request body (see `StandIn.schemaErrors`). */
export interface SchemaErrorReport {
  seq: number;
  method: string;
  path: string;
  requestId: string;
  errors: FieldError[];
}

export interface WaitForTracesOptions {
  /** Default 5000. */
  timeoutMs?: number;
  /** Only traces passing the filter count. */
  filter?: (trace: TraceResponse) => boolean;
}

export interface WaitForRequestsOptions {
  /** Default 5000. */
  timeoutMs?: number;
}
