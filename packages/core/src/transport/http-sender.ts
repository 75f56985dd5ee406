import { unrefTimer } from "./timers.js";

/**
 * How a request leaves the process: `node:http`/`node:https` with a keep-alive agent on Node (`node-sender.ts`),
 * `fetch` elsewhere or when the caller passes one. `choose-sender.ts` picks one.
 */

/** One request: the sender adds the endpoint and the SDK's headers. */
export interface OutgoingRequest {
  method: "POST" | "PATCH";
  /** Path under the endpoint, e.g. "/traces". */
  path: string;
  body: string;
  /** Sent as `X-Request-ID`, the same on every retry. */
  requestId: string;
}

export interface HttpResponse {
  status: number;
  retryAfter: string | undefined;
  /** The body of a non-2xx answer (for the server's message); empty for a 2xx (not kept). */
  text: string;
}

export interface HttpSender {
  /** What sends, for the debug log ("node:https, keep-alive agent (4 sockets)", "fetch", ...). */
  readonly name: string;
  /** Resolves with the answer; rejects on network errors, timeouts (no answer within `timeoutMs`) and aborts. */
  send(request: OutgoingRequest): Promise<HttpResponse>;
  /** Aborts every request in flight (shutdown or process end gave up on them). */
  abortAll(): void;
}

/** The headers every request carries (the sender adds Content-Length or leaves it to `fetch`). */
export interface SenderIdentity {
  /** Endpoint URL without a trailing slash. */
  endpoint: string;
  apiKey: string;
  projectName: string;
  userAgent: string;
  timeoutMs: number;
}

/** Turns anything thrown into an Error (user `fetch` implementations may reject with anything). */
export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e), { cause: e });
}

/** A request that got no answer within the request timeout. */
export class RequestTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = "RequestTimeoutError";
  }
}

/**
 * A sender on `fetch`: every request is self-contained (its own AbortController and timer, nothing reused across
 * requests), which runtimes such as Cloudflare Workers require: I/O objects cannot outlive the request that made them.
 */
export function fetchSender(fetchImpl: typeof fetch, id: SenderIdentity, name = "fetch"): HttpSender {
  const controllers = new Set<AbortController>();
  return {
    name,
    async send(r) {
      const controller = new AbortController();
      controllers.add(controller);
      let timedOut = false;
      const timer = unrefTimer(() => {
        timedOut = true;
        controller.abort();
      }, id.timeoutMs);
      try {
        const res = await fetchImpl(id.endpoint + r.path, {
          method: r.method,
          headers: {
            "X-API-Key": id.apiKey,
            "X-Project-Name": id.projectName,
            "Content-Type": "application/json",
            "User-Agent": id.userAgent,
            "X-Request-ID": r.requestId,
          },
          body: r.body,
          signal: controller.signal,
        });
        // Read every body, even a 2xx one: an unread body keeps the connection (or the Workers request) busy.
        const text = await res.text();
        const ok = res.status >= 200 && res.status < 300;
        return { status: res.status, retryAfter: res.headers.get("retry-after") ?? undefined, text: ok ? "" : text };
      } catch (error) {
        throw timedOut ? new RequestTimeoutError(id.timeoutMs) : asError(error);
      } finally {
        clearTimeout(timer);
        controllers.delete(controller);
      }
    },
    abortAll() {
      for (const c of controllers) c.abort();
      controllers.clear();
    },
  };
}
