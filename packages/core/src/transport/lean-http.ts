/**
 * A lean HTTP/1.1 client on raw `node:net` / `node:tls` sockets: a small keep-alive pool, one batch of requests
 * in flight per socket (pipelined: written in one write, responses read in order), an incremental response parser. About 4× less CPU per request than `node:http`
 * (no IncomingMessage/ClientRequest streams, no agent bookkeeping), which matters because the backend
 * takes one request per trace. Modules are found at run time, so this file loads on edge runtimes.
 */
import {
  asError,
  type BatchResult,
  type CancelSignal,
  type HttpRequest,
  type HttpResponse,
  type HttpSender,
  type OutgoingRequest,
} from "./http-sender.js";
import { builtin, type BufferCtor, type Bytes, type Connect, type Open } from "./http1/types.js";
import { HeaderCache, isPlainPath, isToken } from "./http1/headers.js";
import { Pool } from "./http1/pool.js";
import { Job, aborted } from "./http1/connection.js";

/**
 * A raw-socket HTTP/1.1 sender for `endpoint` with at most `concurrency` keep-alive sockets, or undefined
 * when the runtime has no `node:net`/`node:tls`. Idle sockets are unref'd and closed after `idleTimeoutMs`
 * (default 4000, below the usual 5 s server keep-alive). `tls` options are passed to `tls.connect`.
 */
export function leanHttpSender(
  endpoint: string,
  concurrency: number,
  options: { tls?: Record<string, unknown>; idleTimeoutMs?: number } = {},
): HttpSender | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return undefined;
  }
  const https = url.protocol === "https:";
  if (!https && url.protocol !== "http:") return undefined;
  const B = builtin<{ Buffer: BufferCtor }>("node:buffer")?.Buffer;
  const net = builtin<{ connect: Connect; isIP: (s: string) => number }>("node:net");
  const tls = https ? builtin<{ connect: Connect }>("node:tls") : undefined;
  if (!B || !net?.connect || (https && !tls?.connect)) return undefined;

  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const port = Number(url.port) || (https ? 443 : 80);
  // On Node, plain TCP reads into one reused buffer (`onread`): no stream machinery and no Buffer per read. Safe
  // to share across the pool's sockets: each read is parsed synchronously and kept bytes are copied. Other
  // runtimes with node:net (Bun, Deno) get plain 'data' events.
  const versions = (globalThis as { process?: { versions?: Record<string, string | undefined> } }).process?.versions;
  const readBuffer = !https && versions?.node && !versions.bun && !versions.deno ? B.allocUnsafe(16 * 1024) : undefined;
  const open: Open = (onData) => {
    if (readBuffer) {
      const onread = { buffer: readBuffer, callback: (n: number, buf: Bytes) => void onData(buf.subarray(0, n)) };
      return { socket: net.connect({ host, port, onread }), shared: true };
    }
    const socket = https
      ? tls!.connect({
          host,
          port,
          ...(net.isIP(host) ? {} : { servername: host }),
          ALPNProtocols: ["http/1.1"],
          ...options.tls,
        })
      : net.connect({ host, port });
    socket.on("data", onData);
    return { socket, shared: false };
  };
  const pool = new Pool(B, open, Math.max(1, Math.floor(concurrency) || 1), Math.max(1, options.idleTimeoutMs ?? 4000));
  const origin = `${url.protocol}//${url.host}`;
  const lineEnd = ` HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n`;
  const cache = new HeaderCache();

  // Scratch for the batch being built (sendBatch runs synchronously up to the write): request heads (ASCII, or
  // latin1 header values, written as single bytes like node:http does), bodies and their UTF-8 byte lengths.
  const headsOut: string[] = [],
    bodies: string[] = [],
    bodyBytes: number[] = [];
  let lastTarget: string | undefined,
    lastPath = ""; // the last URL that mapped to a path as is

  /** Puts the head of `r` in slot `k` of the scratch arrays, or returns why it cannot be sent. */
  const prepare = ({ method, url: target, headers, body }: OutgoingRequest, k: number): Error | undefined => {
    if (!isToken(method)) return new Error(`invalid HTTP method ${JSON.stringify(method)}`);
    try {
      let path: string;
      if (target === lastTarget) path = lastPath;
      else if (
        target.startsWith(origin) &&
        (target.length === origin.length || target[origin.length] === "/") &&
        isPlainPath(target)
      ) {
        path = target.length === origin.length ? "/" : target.slice(origin.length);
        lastTarget = target;
        lastPath = path;
      } else {
        const u = new URL(target);
        if (u.protocol !== url.protocol || u.host !== url.host)
          throw new Error(`lean HTTP sender for ${origin} cannot send to ${u.origin}`);
        path = u.pathname + u.search;
      }
      const length = B.byteLength(body, "utf8");
      headsOut[k] = `${method} ${path}${lineEnd}${cache.block(headers)}Content-Length: ${length}\r\n\r\n`;
      bodies[k] = body;
      bodyBytes[k] = length;
      return undefined;
    } catch (e) {
      return asError(e);
    }
  };

  const sendBatch = (requests: readonly OutgoingRequest[], signal: CancelSignal): Promise<BatchResult[]> => {
    const n = requests.length;
    if (signal.aborted) return Promise.resolve(requests.map(() => aborted()));
    let out: BatchResult[] | undefined, slots: number[] | undefined; // only when some request is invalid
    let heads: boolean[] | undefined; // only when some request is a HEAD
    let count = 0,
      total = 0;
    for (let i = 0; i < n; i++) {
      const r = requests[i];
      const error = prepare(r, count);
      if (!error) {
        slots?.push(i);
        if (r.method === "HEAD") (heads ??= new Array<boolean>(n).fill(false))[count] = true;
        total += headsOut[count].length + bodyBytes[count];
        count++;
      } else {
        if (!out) {
          out = new Array<BatchResult>(n);
          slots = Array.from({ length: count }, (_, k) => k);
        }
        out[i] = error;
      }
    }
    if (count === 0) return Promise.resolve(out ?? []);
    // The whole batch in one buffer: no joined string for the socket to flatten and copy again.
    const wire = B.allocUnsafe(total);
    const starts = new Array<number>(count + 1);
    let at = 0;
    for (let k = 0; k < count; k++) {
      starts[k] = at;
      const head = headsOut[k],
        body = bodies[k],
        bytes = bodyBytes[k];
      at += wire.write(head, at, head.length, "latin1");
      at += wire.write(body, at, bytes, bytes === body.length ? "latin1" : "utf8"); // latin1: a plain copy for ASCII
      headsOut[k] = bodies[k] = ""; // the scratch keeps no batch alive
    }
    starts[count] = at;
    return new Promise<BatchResult[]>((resolve) => {
      const job = new Job(
        pool,
        wire,
        starts,
        count,
        heads,
        signal,
        !out
          ? resolve
          : (results) => {
              for (let k = 0; k < results.length; k++) out![slots![k]] = results[k];
              resolve(out!);
            },
      );
      signal.addEventListener("abort", job);
      pool.submit(job);
    });
  };

  const send = (request: HttpRequest): Promise<HttpResponse> =>
    sendBatch([request], request.signal).then(([r]) => (r instanceof Error ? Promise.reject(r) : r));
  return Object.assign(send, { sendBatch });
}
