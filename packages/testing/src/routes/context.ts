/** What a route handler sees, and how it answers. */
import type { Project, Store } from "../store.js";
import type { RecordedRequest } from "../types.js";
import type { FieldError } from "../validate.js";

/** A handler's answer: JSON body (or none, for 204). */
export interface RouteResult {
  status: number;
  body?: unknown;
}

/** A domain error answered as `{"detail": ...}` (or any JSON body). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

/** Ingestion services the server provides to the routes. */
export interface IngestServices {
  /** Per-route rate limit then plan quota for `POST /traces`; a 429 result when refused. */
  checkTraceLimits(credential: string, organization: string): RouteResult | undefined;
  /** Queues a trace for the "worker" (persisted now or after persistDelayMs). */
  enqueueTrace(projectId: string, traceId: string, body: Record<string, unknown>, request: RecordedRequest): void;
  /** Signals that the store changed (wakes waiters). */
  changed(): void;
}

export interface RouteContext {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  request: RecordedRequest;
  credential: string;
  organization: string;
  store: Store;
  services: IngestServices;
  /** The request's project (auto-created; rolled back when the request fails). */
  project(): Project;
}

/** A route implementation. Path params listed in `uuidParams` are validated as UUIDs (422 `path -> name`). */
export interface RouteDef {
  uuidParams?: string[];
  /** Query-string validation: errors are reported as `query -> name`. */
  query?: (query: URLSearchParams) => FieldError[];
  /** Model-level validation run after the schema passed (errors with an empty field). */
  check?: (body: unknown) => FieldError[];
  handle(ctx: RouteContext): RouteResult;
}
