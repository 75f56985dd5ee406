/** The stand-in server: `startStandIn(options)` → a running `StandIn` on 127.0.0.1. */
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { Socket } from "node:net";
import { dispatch, INTERNAL_ERROR, type DispatchDeps, type Reply } from "./dispatch.js";
import { Faults, type FailRule, type FaultControls } from "./faults.js";
import { Ingest } from "./ingest.js";
import { FixedWindowLimiter } from "./rate-limit.js";
import { matchRoute } from "./router.js";
import { collectSchemaErrors } from "./schema-errors.js";
import { Store, traceResponse } from "./store.js";
import type {
  ApiKeySpec,
  QuotaOptions,
  RecordedRequest,
  SchemaErrorReport,
  StandInOptions,
  TraceResponse,
  TraceScoreResponse,
  WaitForRequestsOptions,
  WaitForTracesOptions,
} from "./types.js";
import { canonicalUuid } from "./uuid.js";
import { describeTraceWait, describeRequestWait } from "./wait-messages.js";
import { waitUntil } from "./wait.js";

const DEFAULT_KEY = "sk_pp_test";

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length === 1 ? all[0] : all;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** A running stand-in. See testing-contract.md. */
export class StandIn {
  /** Base URL, e.g. "http://127.0.0.1:51234" (no trailing slash). */
  readonly url: string;
  /** The first configured API key. */
  readonly apiKey: string;
  readonly projectName: string;
  /** `{ apiKey, projectName, endpoint }` for `new PandaProbe(...)` / `init(...)`. */
  readonly clientOptions: { apiKey: string; projectName: string; endpoint: string };
  /** Fault injection controls. */
  readonly faults: FaultControls;

  private readonly faultState = new Faults();
  private readonly store = new Store();
  private readonly events = new EventEmitter();
  private readonly ingest: Ingest;
  private readonly deps: DispatchDeps;
  private poisoned = new WeakSet<Socket>();
  private log: RecordedRequest[] = [];
  private closed = false;

  /** @internal Use `startStandIn`. */
  constructor(
    private readonly server: Server,
    port: number,
    private readonly options: StandInOptions,
  ) {
    this.events.setMaxListeners(0);
    this.url = `${options.tls ? "https" : "http"}://127.0.0.1:${port}`;
    const keys = new Map<string, ApiKeySpec>();
    for (const k of options.apiKeys ?? [DEFAULT_KEY])
      keys.set(typeof k === "string" ? k : k.key, typeof k === "string" ? { key: k } : k);
    this.apiKey = [...keys.keys()][0] ?? DEFAULT_KEY;
    this.projectName = options.projectName ?? "test-project";
    this.clientOptions = { apiKey: this.apiKey, projectName: this.projectName, endpoint: this.url };
    this.faults = this.faultState;
    this.ingest = new Ingest(this.store, options, () => this.events.emit("traces"));
    const def = options.defaultRateLimit ?? { limit: 200, windowMs: 60_000 };
    this.deps = {
      store: this.store,
      services: this.ingest,
      keys,
      authEnabled: options.authEnabled ?? true,
      defaultLimiter: def ? new FixedWindowLimiter(def) : undefined,
      baseUrl: this.url,
    };
    server.on("request", (req: IncomingMessage, res: ServerResponse) => void this.onRequest(req, res));
  }

  /**
   * Changes the plan quota (`undefined`: none, as after an upgrade to a plan without a hard limit); the count of
   * traces used so far is kept.
   */
  setQuota(quota: QuotaOptions | undefined): void {
    this.ingest.quota = quota;
  }

  /**
   * With `persistDelayMs: Infinity` the "worker" runs only when a test calls this: every trace accepted so far is
   * persisted now, in arrival order (a deterministic stand-in for a worker backlog). Returns how many were.
   */
  persistQueued(): number {
    return this.ingest.persistHeld();
  }

  /** Every request received so far (a snapshot array of live entries). */
  get requests(): RecordedRequest[] {
    return [...this.log];
  }

  /** Persisted traces (TraceResponse shape, spans inline), in first-persist order. Deep copies. */
  traces(filter?: (trace: TraceResponse) => boolean): TraceResponse[] {
    const all = [...this.store.traces.values()].map((row) => traceResponse(this.store, row));
    return filter ? all.filter(filter) : all;
  }

  /** A persisted trace by id (any project), or undefined. */
  getTrace(traceId: string): TraceResponse | undefined {
    const row = this.store.traces.get(canonicalUuid(traceId));
    return row ? traceResponse(this.store, row) : undefined;
  }

  /** Every score created, in order. */
  scores(): TraceScoreResponse[] {
    return structuredClone(this.store.scores);
  }

  /** Projects created so far (name, id, organization). */
  projects(): Array<{ id: string; name: string; organization: string }> {
    return [...this.store.projects.values()].map((p) => ({ ...p }));
  }

  /**
   * POST /traces requests accepted (202) whose trace the worker then dropped, as the real one does: it contains
   * "\u0000" or a lone UTF-16 surrogate (see `dropped`).
   */
  droppedTraces(): RecordedRequest[] {
    return this.log.filter((r) => r.dropped !== undefined);
  }

  /**
   * Problems of every received request body against the OpenAPI request schema of its route (strict reading:
   * RFC 3339 date-times, canonical UUIDs, undeclared properties, NUL characters, non-JSON content type).
   * SDK tests assert this is `[]`.
   */
  schemaErrors(): SchemaErrorReport[] {
    return collectSchemaErrors(this.log);
  }

  /** Resolves as soon as at least `n` persisted traces (matching `filter`) exist; returns all matching ones. */
  waitForTraces(n: number, options: WaitForTracesOptions = {}): Promise<TraceResponse[]> {
    const { timeoutMs = 5000, filter } = options;
    return waitUntil(
      this.events,
      "traces",
      () => {
        if (!filter && this.store.traces.size < n) return undefined;
        const list = this.traces(filter);
        return list.length >= n ? list : undefined;
      },
      timeoutMs,
      () =>
        describeTraceWait(n, timeoutMs, this.traces(), this.traces(filter).length, this.ingest.pendingCount, this.log),
    );
  }

  /**
   * Resolves once `count` answered requests exist (a number), or once `options.count` (default 1) answered requests
   * match the predicate; returns the matching requests. `pending: true` also counts requests not answered yet.
   */
  waitForRequests(
    match: number | ((r: RecordedRequest) => boolean),
    options: WaitForRequestsOptions & { count?: number; pending?: boolean } = {},
  ): Promise<RecordedRequest[]> {
    const { timeoutMs = 5000, pending = false } = options;
    const predicate = typeof match === "number" ? () => true : match;
    const count = typeof match === "number" ? match : (options.count ?? 1);
    const select = (): RecordedRequest[] => this.log.filter((r) => (pending || r.status !== undefined) && predicate(r));
    return waitUntil(
      this.events,
      "request",
      () => {
        const list = select();
        return list.length >= count ? list : undefined;
      },
      timeoutMs,
      () => describeRequestWait(count, timeoutMs, select().length, this.log),
    );
  }

  /**
   * Forgets everything: store, request log, faults, rate-limit and quota counters, queued traces, and connections
   * marked to be reset after a 500 (so one test's 500 does not reset the next test's first request).
   */
  reset(): void {
    this.poisoned = new WeakSet();
    this.store.clear();
    this.log = [];
    this.faultState.clear();
    this.ingest.reset();
    this.deps.defaultLimiter?.reset();
  }

  /** Stops the server; hanging requests and open connections are destroyed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ingest.reset();
    this.faultState.dropHung();
    this.events.emit("close");
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await done;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const headers = flattenHeaders(req);
    const parsedUrl = new URL(req.url ?? "/", this.url);
    const method = (req.method ?? "GET").toUpperCase();
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch {
      return;
    }
    const rawBody = raw.toString("utf8");
    let body: unknown = rawBody === "" ? undefined : rawBody;
    try {
      if (rawBody !== "") body = JSON.parse(rawBody);
    } catch {
      /* keep the text */
    }
    const match = matchRoute(method, parsedUrl.pathname);
    const entry: RecordedRequest = {
      seq: this.log.length + 1,
      method,
      path: parsedUrl.pathname,
      query: queryRecord(parsedUrl.searchParams),
      headers,
      body,
      rawBody,
      requestId: headers["x-request-id"] || randomUUID(),
      receivedAt: Date.now(),
      route: match.kind === "route" ? match.route.template : undefined,
    };
    this.log.push(entry);
    if (this.poisoned.has(req.socket)) {
      // The previous response on this keep-alive connection was an unhandled 500: the server had closed it.
      entry.status = 0;
      entry.fault = "connection reset (previous response was a 500)";
      req.socket.destroy();
      this.events.emit("request");
      return;
    }
    const run = (): void =>
      void this.process(req, res, entry, raw, parsedUrl).catch((error: unknown) => {
        // A bug in the stand-in itself: answer like the real server's unhandled error and keep running.
        entry.fault = `stand-in bug: ${(error as Error).stack ?? String(error)}`;
        if (!res.headersSent && !this.closed) this.send(req, res, entry, INTERNAL_ERROR);
      });
    if (this.faultState.shouldHang(method, entry.path)) {
      entry.fault = "hang";
      this.faultState.park(run);
      this.events.emit("request");
      return;
    }
    run();
  }

  private async process(req: IncomingMessage, res: ServerResponse, entry: RecordedRequest, raw: Buffer, url: URL) {
    if (this.closed) return;
    const fault = this.faultState.takeFailure(entry.method, entry.path);
    let reply: Reply | "reset";
    if (fault && !fault.afterProcessing) {
      reply = this.faultReply(fault, entry);
    } else {
      reply = dispatch(this.deps, {
        method: entry.method,
        path: entry.path,
        search: url.search,
        query: url.searchParams,
        headers: entry.headers,
        raw,
        remoteAddress: req.socket.remoteAddress ?? "127.0.0.1",
        entry,
      });
      if (fault) reply = this.faultReply(fault, entry);
    }
    const delay = this.faultState.delayFor(entry.method, entry.path);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (this.closed) return;
    this.send(req, res, entry, reply);
  }

  private faultReply(fault: FailRule, entry: RecordedRequest): Reply | "reset" {
    entry.fault = `injected ${fault.status}${fault.afterProcessing ? " after processing" : ""}`;
    if (fault.status === "reset") return "reset";
    if (fault.body !== undefined) return { status: fault.status, json: fault.body };
    if (fault.status === 500) return INTERNAL_ERROR;
    if (fault.status === 429) return { status: 429, json: { error: "Rate limit exceeded: 100 per 1 minute" } };
    return { status: fault.status, json: { detail: STATUS_CODES[fault.status] ?? "Error" } };
  }

  private send(req: IncomingMessage, res: ServerResponse, entry: RecordedRequest, reply: Reply | "reset"): void {
    entry.respondedAt = Date.now();
    if (reply === "reset") {
      entry.status = 0;
      req.socket.destroy();
      this.events.emit("request");
      return;
    }
    const payload = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? "");
    const headers: Record<string, string> = { "x-request-id": entry.requestId, ...reply.headers };
    if (reply.json !== undefined) headers["content-type"] = "application/json";
    else if (reply.text !== undefined) headers["content-type"] = "text/plain; charset=utf-8";
    headers["content-length"] = String(Buffer.byteLength(payload));
    entry.status = reply.status;
    entry.response = reply.json ?? reply.text;
    if (reply.internalError && (this.options.resetConnectionAfter500 ?? true)) this.poisoned.add(req.socket);
    res.writeHead(reply.status, headers);
    res.end(reply.status === 204 ? undefined : payload);
    this.events.emit("request");
  }
}

/** Starts a stand-in PandaProbe backend on 127.0.0.1 (random port unless `options.port`). */
export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
  const server = options.tls
    ? createTlsServer({ keepAliveTimeout: 5000, key: options.tls.key, cert: options.tls.cert })
    : createServer({ keepAliveTimeout: 5000 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("stand-in: could not read the bound port");
  return new StandIn(server, address.port, options);
}
