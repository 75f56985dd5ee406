import type * as Http from "node:http";
import type * as Https from "node:https";
import type * as Net from "node:net";
import type * as Tls from "node:tls";
import { builtin } from "./builtin.js";
import {
  asError,
  type HttpResponse,
  type HttpSender,
  type OutgoingRequest,
  RequestTimeoutError,
  type SenderIdentity,
} from "./http-sender.js";
import { type ProxyChoice, proxyAuthorization } from "./proxy.js";

/** Keeps at most this much of an error body (the server's message). */
const MAX_ERROR_TEXT = 64 * 1024;
/** Network errors on a reused keep-alive socket that the server had closed: safe to send again once. */
const STALE_SOCKET = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED"]);

/** Per-request state, kept on the ClientRequest so the event handlers are shared functions, not closures. */
interface Pending {
  request: OutgoingRequest;
  resolve: (r: HttpResponse) => void;
  reject: (e: Error) => void;
  status: number;
  retryAfter: string | undefined;
  text: string;
  retried: boolean;
  done: boolean;
  sender: NodeSender;
  /** The request in flight for this state (a retry replaces it). */
  current: Http.ClientRequest | undefined;
}

const STATE = Symbol("pandaprobe.request");
type TaggedRequest = Http.ClientRequest & { [STATE]: Pending };
type TaggedResponse = Http.IncomingMessage & { [STATE]: Pending; req: TaggedRequest };

/**
 * The Node sender: `node:http`/`node:https` with a keep-alive agent (`concurrency` sockets per lane), through a
 * proxy when one applies (CONNECT tunnel for https targets, absolute-URI requests for http ones), or through the
 * caller's `agent`. Cheap per request: one raw header array, one socket write (headers and body together),
 * shared event handlers, 2xx bodies drained unread. Sockets never keep the process alive (process end is handled
 * by the transport). Undefined when `node:http` cannot be loaded.
 */
export function nodeHttpSender(
  id: SenderIdentity,
  options: { sockets: number; agent?: object; proxy?: ProxyChoice },
): HttpSender | undefined {
  const http = builtin<typeof Http>("node:http");
  const https = builtin<typeof Https>("node:https");
  if (!http?.request || !https?.request) return undefined;
  try {
    return new NodeSender(http, https, id, options);
  } catch {
    return undefined;
  }
}

class NodeSender implements HttpSender {
  readonly name: string;
  readonly timeoutMs: number;
  private readonly module: typeof Http | typeof Https;
  private readonly fixedHeaders: string[];
  private readonly requestOptions: Http.RequestOptions;
  private readonly pathPrefix: string;
  private readonly inflight = new Set<Http.ClientRequest>();
  private readonly unrefPerRequest: boolean;

  constructor(
    http: typeof Http,
    https: typeof Https,
    id: SenderIdentity,
    { sockets, agent, proxy }: { sockets: number; agent?: object; proxy?: ProxyChoice },
  ) {
    const target = new URL(id.endpoint);
    const secure = target.protocol === "https:";
    const basePath = target.pathname.replace(/\/+$/, "");
    const keepAlive = { keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets, scheduling: "lifo" as const };
    const auth = proxy ? proxyAuthorization(proxy.url) : undefined;
    const scheme = secure ? "node:https" : "node:http";
    let host = target.hostname.replace(/^\[|\]$/g, "");
    let port = Number(target.port) || (secure ? 443 : 80);
    let chosen: Http.Agent;
    /** Our own agents unref their sockets themselves; a caller's agent needs a listener per request. */
    this.unrefPerRequest = !!agent;
    this.pathPrefix = basePath;
    this.module = secure ? https : http;
    if (agent) {
      chosen = agent as Http.Agent;
      this.name = `${scheme} with the agent from the options`;
    } else if (proxy && secure) {
      chosen = tunnelAgent(http, https, proxy.url, auth, keepAlive, unrefAgent(https.Agent));
      this.name = `${scheme}, keep-alive agent (${sockets} sockets), CONNECT tunnel through ${shown(proxy)}`;
    } else if (proxy) {
      // An http target through a proxy: absolute-URI requests to the proxy, on its own keep-alive connections.
      const viaTls = proxy.url.protocol === "https:";
      this.module = viaTls ? https : http;
      chosen = new (unrefAgent(viaTls ? https.Agent : http.Agent))(keepAlive);
      host = proxy.url.hostname.replace(/^\[|\]$/g, "");
      port = Number(proxy.url.port) || (viaTls ? 443 : 80);
      this.pathPrefix = `http://${target.host}${basePath}`;
      this.name = `${scheme}, keep-alive agent (${sockets} sockets), through ${shown(proxy)}`;
    } else {
      chosen = new (unrefAgent(secure ? https.Agent : http.Agent))(keepAlive);
      this.name = `${scheme}, keep-alive agent (${sockets} sockets)`;
    }
    this.timeoutMs = id.timeoutMs;
    this.fixedHeaders = [
      "Host",
      target.host,
      "X-API-Key",
      id.apiKey,
      "X-Project-Name",
      id.projectName,
      "Content-Type",
      "application/json",
      "User-Agent",
      id.userAgent,
    ];
    if (auth && !secure) this.fixedHeaders.push("Proxy-Authorization", auth);
    // Read by `request()` synchronously and copied: one object reused for every request.
    this.requestOptions = { host, port, agent: chosen, method: "POST", path: "/", headers: [], timeout: id.timeoutMs };
  }

  send(request: OutgoingRequest): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => {
      const state: Pending = {
        request,
        resolve,
        reject,
        status: 0,
        retryAfter: undefined,
        text: "",
        retried: false,
        done: false,
        sender: this,
        current: undefined,
      };
      this.start(state);
    });
  }

  /** Issues the request of `state` (again, after a stale keep-alive socket). */
  start(state: Pending): void {
    const { method, path, body, requestId } = state.request;
    const options = this.requestOptions;
    options.method = method;
    options.path = this.pathPrefix + path;
    options.headers = this.fixedHeaders.concat(
      "Content-Length",
      String(Buffer.byteLength(body)),
      "X-Request-ID",
      requestId,
    );
    let req: TaggedRequest;
    try {
      req = this.module.request(options) as TaggedRequest;
    } catch (error) {
      // An invalid header value (a key with a control character, say) throws synchronously.
      settle(state, undefined, asError(error));
      return;
    }
    req[STATE] = state;
    state.current = req;
    this.inflight.add(req);
    if (this.unrefPerRequest) req.on("socket", onSocket);
    req.on("response", onResponse);
    req.on("timeout", onTimeout);
    req.on("error", onError);
    req.end(body);
  }

  forget(req: Http.ClientRequest): void {
    this.inflight.delete(req);
  }

  abortAll(): void {
    for (const req of this.inflight) req.destroy(new Error("request aborted (shutdown or process end)"));
    this.inflight.clear();
  }
}

function shown(proxy: ProxyChoice): string {
  return `${proxy.url.protocol}//${proxy.url.host} (${proxy.source})`;
}

function settle(state: Pending, response: HttpResponse | undefined, error?: Error): void {
  if (state.done) return;
  state.done = true;
  if (response) state.resolve(response);
  else state.reject(error ?? new Error("request failed"));
}

/** A caller's agent: its sockets are unref'd per request (see `unrefAgent`). */
function onSocket(socket: Net.Socket): void {
  socket.unref();
}

function onResponse(this: TaggedRequest, res: TaggedResponse): void {
  const state = this[STATE];
  res[STATE] = state;
  res.req = this;
  const status = res.statusCode ?? 0;
  state.status = status;
  const retryAfter = res.headers["retry-after"];
  state.retryAfter = typeof retryAfter === "string" ? retryAfter : undefined;
  res.on("end", onEnd);
  res.on("error", onResponseError);
  if (status >= 200 && status < 300) {
    res.resume(); // drained, not kept: the SDK needs only the status
  } else {
    res.setEncoding("utf8");
    res.on("data", onData);
  }
}

function onData(this: TaggedResponse, chunk: string): void {
  const state = this[STATE];
  if (state.text.length < MAX_ERROR_TEXT) state.text += chunk;
}

function onEnd(this: TaggedResponse): void {
  const state = this[STATE];
  state.sender.forget(this.req);
  settle(state, { status: state.status, retryAfter: state.retryAfter, text: state.text });
}

function onResponseError(this: TaggedResponse, error: Error): void {
  this[STATE].sender.forget(this.req);
  settle(this[STATE], undefined, error);
}

function onTimeout(this: TaggedRequest): void {
  this.destroy(new RequestTimeoutError(this[STATE].sender.timeoutMs));
}

function onError(this: TaggedRequest, error: Error & { code?: string }): void {
  const state = this[STATE];
  state.sender.forget(this);
  if (state.done || state.current !== this) return;
  // The server closed an idle keep-alive connection just as it was reused (e.g. after answering a 500): the
  // request never reached it, so it is sent once more on a fresh connection, as Node's documentation advises.
  if (!state.status && !state.retried && this.reusedSocket && error.code && STALE_SOCKET.has(error.code)) {
    state.retried = true;
    state.sender.start(state);
    return;
  }
  settle(state, undefined, error);
}

/**
 * An Agent class whose sockets never keep the process alive, also while a request is in flight (Node's own agent
 * unrefs only idle ones): an app that is done may end, and the transport's bounded exit flush takes over.
 */
function unrefAgent<A extends typeof Http.Agent>(Base: A): A {
  const cls = class extends (Base as typeof Http.Agent) {
    override createConnection(...args: Parameters<Http.Agent["createConnection"]>) {
      const socket = super.createConnection(...args);
      (socket as Net.Socket | undefined)?.unref?.();
      return socket;
    }
    override reuseSocket(socket: Net.Socket, req: Http.ClientRequest): void {
      super.reuseSocket(socket, req); // refs it
      socket.unref();
    }
  };
  return cls as unknown as A;
}

/**
 * An https agent whose connections are CONNECT tunnels through an http(s) proxy, then TLS to the target; pooled and
 * kept alive like any https connection.
 */
function tunnelAgent(
  http: typeof Http,
  https: typeof Https,
  proxy: URL,
  auth: string | undefined,
  options: Https.AgentOptions,
  Base: typeof Https.Agent,
): Http.Agent {
  const tls = builtin<typeof Tls>("node:tls");
  const net = builtin<typeof Net>("node:net");
  if (!tls?.connect) throw new Error("node:tls unavailable");
  const viaTls = proxy.protocol === "https:";
  const proxyHost = proxy.hostname.replace(/^\[|\]$/g, "");
  const proxyPort = Number(proxy.port) || (viaTls ? 443 : 80);
  class TunnelAgent extends Base {
    // Node's Agent accepts the callback form: the socket is handed over once the tunnel is up.
    // biome-ignore lint/suspicious/noExplicitAny: Agent.createConnection's declared type has no callback form
    override createConnection(opts: any, callback?: any): undefined {
      const host = opts.host ?? "localhost";
      const authority = `${host.includes(":") ? `[${host}]` : host}:${opts.port ?? 443}`;
      const headers: Record<string, string> = { Host: authority };
      if (auth) headers["Proxy-Authorization"] = auth;
      const connect = (viaTls ? https : http).request({
        host: proxyHost,
        port: proxyPort,
        method: "CONNECT",
        path: authority,
        headers,
        agent: false,
      });
      connect.once("connect", (res, socket, head) => {
        if (res.statusCode !== 200) {
          socket.destroy();
          callback(new Error(`proxy ${proxy.host} refused CONNECT ${authority}: ${res.statusCode}`));
          return;
        }
        if (head.length) socket.unshift(head);
        const servername = opts.servername ?? (net?.isIP(host) ? undefined : host);
        socket.unref();
        callback(null, tls!.connect({ ...opts, socket, servername }));
      });
      connect.once("error", (error) => callback(error));
      connect.end();
      return undefined;
    }
  }
  return new TunnelAgent(options) as unknown as Http.Agent;
}
