import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { leanHttpSender } from "../src/transport/lean-http.js";
import type { HttpResponse, HttpSender } from "../src/transport/http-sender.js";
import { startStandIn, type StandIn } from "./helpers.js";
import { runModule } from "./child-process.js";
import { startRawServer, type RawRequest, type RawServer } from "./raw-http-server.js";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const signal = () => new AbortController().signal;
const post = (
  send: HttpSender,
  url: string,
  body = "{}",
  headers: Record<string, string> = {},
  s = signal(),
): Promise<HttpResponse> =>
  send({ method: "POST", url, headers: { "Content-Type": "application/json", ...headers }, body, signal: s });

/** A raw TCP server (raw-http-server.ts) handing each request, its socket and its index across connections to `onRequest`. */
async function rawServer(onRequest: (socket: Socket, req: RawRequest, index: number) => void) {
  const srv: RawServer = await startRawServer((req, _answer, socket) =>
    onRequest(socket, req, srv.requests.length - 1),
  );
  cleanups.push(() => srv.close());
  return srv;
}

/** A `node:http` server; counts connections. */
async function httpServer(
  handler: (req: IncomingMessage, body: Buffer, res: import("node:http").ServerResponse) => void,
  options: { keepAliveTimeout?: number } = {},
) {
  const server: HttpServer = createHttpServer(options, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handler(req, Buffer.concat(chunks), res));
  });
  let connections = 0;
  server.on("connection", () => connections++);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise((r) => server.close(r));
  });
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, connections: () => connections };
}

function sender(url: string, concurrency = 1, options?: Parameters<typeof leanHttpSender>[2]): HttpSender {
  const s = leanHttpSender(url, concurrency, options);
  if (!s) throw new Error("lean sender unavailable");
  return s;
}

const ok = (body: string, extra = "") =>
  `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

describe("leanHttpSender against the stand-in", () => {
  let standIn: StandIn;
  afterEach(async () => standIn?.close());
  const trace = () =>
    JSON.stringify({ trace_id: randomUUID(), name: "lean", started_at: new Date().toISOString(), spans: [] });
  const auth = (s: StandIn) => ({ "X-API-Key": s.apiKey, "X-Project-Name": s.projectName });

  it("POSTs a trace: 202 round trip, payload persisted and schema-valid", async () => {
    standIn = await startStandIn();
    const send = sender(standIn.url, 2);
    const body = trace();
    const res = await post(send, `${standIn.url}/traces`, body, auth(standIn));
    expect(res.status).toBe(202);
    expect(JSON.parse(res.text)).toMatchObject({ trace_id: JSON.parse(body).trace_id });
    const [persisted] = await standIn.waitForTraces(1);
    expect(persisted.name).toBe("lean");
    expect(standIn.requests[0].headers).toMatchObject({
      "content-type": "application/json",
      host: standIn.url.slice(7),
      connection: "keep-alive",
    });
    expect(standIn.schemaErrors()).toEqual([]);
  });

  it("returns a 401 with its JSON detail", async () => {
    standIn = await startStandIn();
    const res = await post(sender(standIn.url), `${standIn.url}/traces`, trace(), {
      "X-API-Key": "wrong",
      "X-Project-Name": "p",
    });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text).detail).toEqual(expect.any(String));
  });

  it("retries once on a fresh socket when the reused keep-alive connection is reset after a 500", async () => {
    standIn = await startStandIn();
    const send = sender(standIn.url, 1);
    standIn.faults.failNext(1, 500);
    expect((await post(send, `${standIn.url}/traces`, trace(), auth(standIn))).status).toBe(500);
    const res = await post(send, `${standIn.url}/traces`, trace(), auth(standIn));
    expect(res.status).toBe(202);
    expect(standIn.requests.map((r) => r.status)).toEqual([500, 0, 202]); // 0 = the reset the retry recovered from
  });
});

describe("leanHttpSender: response parsing", () => {
  it("reads chunked bodies with extensions and trailers; headers are case-insensitive", async () => {
    const body = "chunked \u00e9\u20ac body";
    const bytes = Buffer.from(body);
    const srv = await rawServer((s) =>
      s.write(
        `HTTP/1.1 429 Too Many Requests\r\nTRANSFER-encoding: chunked\r\nRETRY-AFTER: 7\r\n\r\n` +
          `5;ext=1\r\n${bytes.subarray(0, 5).toString("latin1")}\r\n${(bytes.length - 5).toString(16).toUpperCase()}\r\n${bytes.subarray(5).toString("latin1")}\r\n` +
          `0\r\nX-Trailer: yes\r\n\r\n`,
        "latin1",
      ),
    );
    const send = sender(srv.url);
    expect(await post(send, `${srv.url}/x`)).toEqual({ status: 429, retryAfter: "7", text: body });
    expect(await post(send, `${srv.url}/x`)).toEqual({ status: 429, retryAfter: "7", text: body });
    expect(srv.sockets).toHaveLength(1); // kept alive across chunked responses
  });

  it("parses responses written one byte at a time (multi-byte UTF-8 split across reads)", async () => {
    // "\u00e9\u20ac" is 5 UTF-8 bytes: the chunk size is 5.
    const responses = [
      ok("h\u00e9llo \u20ac\ud83d\udc3c", "Retry-After: 3\r\n"),
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n\u00e9\u20ac\r\n0\r\n\r\n",
    ];
    const srv = await rawServer((s, _req, i) => {
      const bytes = Buffer.from(responses[i], "utf8");
      let at = 0;
      const next = () => (at < bytes.length ? s.write(bytes.subarray(at, ++at), () => setImmediate(next)) : undefined);
      next();
    });
    const send = sender(srv.url);
    expect(await post(send, `${srv.url}/a`)).toEqual({
      status: 200,
      retryAfter: "3",
      text: "h\u00e9llo \u20ac\ud83d\udc3c",
    });
    expect(await post(send, `${srv.url}/b`)).toEqual({ status: 200, retryAfter: null, text: "\u00e9\u20ac" });
    expect(srv.sockets).toHaveLength(1);
  });

  it("skips 1xx informational responses (100 Continue, 103 Early Hints)", async () => {
    const srv = await rawServer((s) =>
      s.write(`HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n${ok("final")}`),
    );
    expect(await post(sender(srv.url), `${srv.url}/x`)).toEqual({ status: 200, retryAfter: null, text: "final" });
  });

  it("reads no body for 204 and 304 and keeps the connection", async () => {
    const srv = await rawServer((s, _r, i) =>
      s.write(
        i === 0
          ? "HTTP/1.1 204 No Content\r\n\r\n"
          : i === 1
            ? "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n"
            : ok("third"),
      ),
    );
    const send = sender(srv.url);
    expect((await post(send, `${srv.url}/x`)).status).toBe(204);
    expect((await post(send, `${srv.url}/x`)).status).toBe(304);
    expect((await post(send, `${srv.url}/x`)).text).toBe("third");
    expect(srv.sockets).toHaveLength(1);
  });

  it("closes the socket after Connection: close and uses a new one next", async () => {
    const srv = await rawServer((s) => s.write(ok("bye", "Connection: close\r\n")));
    const send = sender(srv.url);
    expect((await post(send, `${srv.url}/x`)).text).toBe("bye");
    await once(srv.sockets[0], "close"); // the client closed it (the server never does)
    expect((await post(send, `${srv.url}/x`)).text).toBe("bye");
    expect(srv.sockets).toHaveLength(2);
  });

  it("handles HTTP/1.0: closes without keep-alive, keeps with it, reads a body until close", async () => {
    const srv = await rawServer((s, _r, i) => {
      if (i === 0) s.write("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nv0");
      else if (i === 1) s.write("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nk1");
      else if (i === 2) s.write("HTTP/1.0 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nk2");
      else s.end("HTTP/1.0 201 Created\r\nContent-Type: text/plain\r\n\r\nuntil close \u00e9");
    });
    const send = sender(srv.url);
    expect((await post(send, `${srv.url}/x`)).text).toBe("v0");
    expect((await post(send, `${srv.url}/x`)).text).toBe("k1");
    expect((await post(send, `${srv.url}/x`)).text).toBe("k2");
    expect(srv.sockets).toHaveLength(2); // first closed (1.0 default), second kept alive for the third request
    expect(await post(send, `${srv.url}/x`)).toEqual({ status: 201, retryAfter: null, text: "until close \u00e9" });
  });

  it("does not reuse a socket that delivered bytes beyond the response (no pipelining)", async () => {
    const srv = await rawServer((s, _r, i) => s.write(i === 0 ? `${ok("a")}HTTP/1.1 200 OK\r\n` : ok("b")));
    const send = sender(srv.url);
    expect((await post(send, `${srv.url}/x`)).text).toBe("a");
    expect((await post(send, `${srv.url}/x`)).text).toBe("b");
    expect(srv.sockets).toHaveLength(2);
  });

  it("rejects malformed responses with an Error, destroys the socket, and recovers on a fresh one", async () => {
    const srv = await rawServer((s, _r, i) =>
      s.write(
        i === 0
          ? "HTTP/1.1 2x0 Nope\r\n\r\n"
          : i === 1
            ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
            : ok("fine"),
      ),
    );
    const send = sender(srv.url);
    await expect(post(send, `${srv.url}/x`)).rejects.toThrow(/malformed HTTP response: status line/);
    await expect(post(send, `${srv.url}/x`)).rejects.toThrow(/malformed HTTP response: chunk size/);
    expect((await post(send, `${srv.url}/x`)).text).toBe("fine");
    expect(srv.sockets).toHaveLength(3);
  });
});

describe("leanHttpSender: requests", () => {
  it("sends Content-Length as the UTF-8 byte length of a non-ASCII body", async () => {
    const body = JSON.stringify({ text: "h\u00e9llo \u4e16\u754c \ud83d\udc3c \u00ff" });
    const srv = await httpServer((req, raw, res) =>
      res.end(JSON.stringify({ cl: req.headers["content-length"], body: raw.toString("utf8") })),
    );
    const send = sender(srv.url);
    for (let i = 0; i < 2; i++) {
      const echo = JSON.parse((await post(send, `${srv.url}/x`, body)).text);
      expect(echo).toEqual({ cl: String(Buffer.byteLength(body)), body });
    }
    expect(srv.connections()).toBe(1); // a wrong length would desynchronise the keep-alive connection
  });

  it("sends latin1 header values (0x80-0xFF) as single bytes, like node:http, next to a UTF-8 body", async () => {
    const body = "\u00e9\u20ac";
    const srv = await httpServer((req, raw, res) =>
      res.end(JSON.stringify({ name: req.headers["x-name"], body: raw.toString("utf8") })),
    );
    const res = await post(sender(srv.url), `${srv.url}/x`, body, { "X-Name": "caf\u00e9" });
    expect(JSON.parse(res.text)).toEqual({ name: "caf\u00e9", body });
  });

  it("round-trips 1 MB request and response bodies", async () => {
    const big = "x\u00e9".repeat(350_000); // ~1 MB of UTF-8
    const srv = await httpServer((_req, raw, res) => res.end(raw.toString("utf8").toUpperCase()));
    const res = await post(sender(srv.url), `${srv.url}/x`, big);
    expect(res.text.length).toBe(big.length);
    expect(res.text).toBe(big.toUpperCase());
  });

  it("keeps the path and query, and rejects header values that would inject lines", async () => {
    const srv = await rawServer((s) => s.write(ok("ok")));
    const send = sender(`${srv.url}/api`);
    await post(send, `${srv.url}/api/traces?x=1&y=%20`, "{}", { "X-Request-ID": "abc" });
    expect(srv.requests[0]).toMatchObject({
      method: "POST",
      path: "/api/traces?x=1&y=%20",
      headers: { "x-request-id": "abc" },
    });
    for (let i = 0; i < 2; i++) {
      await expect(post(send, `${srv.url}/api/t`, "{}", { "X-Evil": "a\r\nInjected: 1" })).rejects.toThrow(
        /invalid character/,
      );
      await expect(post(send, `${srv.url}/api/t`, "{}", { "Bad Name": "v" })).rejects.toThrow(
        /invalid HTTP header name/,
      );
    }
    await expect(
      send({ method: "PO ST", url: `${srv.url}/api/t`, headers: {}, body: "", signal: signal() }),
    ).rejects.toThrow(/invalid HTTP method/);
    await expect(post(send, "http://example.invalid/t")).rejects.toThrow(/cannot send/);
    expect(srv.requests).toHaveLength(1);
  });

  it("uses at most `concurrency` sockets; extra requests wait", async () => {
    const held: Array<() => void> = [];
    let holding = true;
    let inflight = 0;
    let peak = 0;
    const order: string[] = [];
    let threeHeld!: () => void;
    const allHeld = new Promise<void>((r) => (threeHeld = r));
    const srv = await httpServer((req, _b, res) => {
      order.push(req.url!);
      peak = Math.max(peak, ++inflight);
      const answer = () => (inflight--, res.end(req.url));
      if (!holding) return answer();
      held.push(answer);
      if (held.length === 3) threeHeld();
    });
    const send = sender(srv.url, 3);
    const all = Promise.all(Array.from({ length: 12 }, (_, i) => post(send, `${srv.url}/r${i}`)));
    await allHeld; // 3 requests hang on the server: the other 9 must be waiting in the sender
    expect(order).toEqual(["/r0", "/r1", "/r2"]);
    holding = false;
    held.forEach((answer) => answer());
    const res = await all;
    expect(res.map((r) => r.text)).toEqual(Array.from({ length: 12 }, (_, i) => `/r${i}`));
    expect([...order].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `/r${i}`).sort());
    expect(peak).toBe(3);
    expect(srv.connections()).toBe(3);
  });

  it("serves waiting requests in FIFO order", async () => {
    let answerFirst!: () => void;
    let firstArrived!: () => void;
    const arrived = new Promise<void>((r) => (firstArrived = r));
    const srv = await rawServer((s, req, i) => {
      if (i > 0) return s.write(ok(req.path));
      answerFirst = () => s.write(ok(req.path));
      firstArrived();
    });
    const send = sender(srv.url, 1);
    const all = Promise.all(Array.from({ length: 6 }, (_, i) => post(send, `${srv.url}/q${i}`)));
    await arrived; // the other five wait in the sender's queue
    answerFirst();
    expect((await all).map((r) => r.text)).toEqual(Array.from({ length: 6 }, (_, i) => `/q${i}`));
    expect(srv.requests.map((r) => r.path)).toEqual(Array.from({ length: 6 }, (_, i) => `/q${i}`));
  });
});

describe("leanHttpSender: failures, abort and idle sockets", () => {
  it("rejects when a fresh socket fails (refused, or closed before any response) without retrying", async () => {
    const closed = await rawServer(() => {});
    cleanups.pop()!(); // close the server: the port now refuses
    await expect(post(sender(closed.url), `${closed.url}/x`)).rejects.toThrow(/ECONNREFUSED/);
    const srv = await rawServer((s) => s.destroy());
    await expect(post(sender(srv.url), `${srv.url}/x`)).rejects.toThrow(/closed before any response/);
    expect(srv.requests).toHaveLength(1);
  });

  it("retries once when the server closed the keep-alive socket right after a response", async () => {
    const srv = await rawServer((s, _r, i) => (i === 0 ? s.end(ok("first")) : s.write(ok("second"))));
    const send = sender(srv.url);
    expect((await post(send, `${srv.url}/x`)).text).toBe("first");
    expect((await post(send, `${srv.url}/x`)).text).toBe("second"); // either noticed the close or retried on a fresh socket
    expect(srv.sockets).toHaveLength(2);
  });

  it("does not retry a reused socket that failed after response bytes arrived", async () => {
    const srv = await rawServer((s, _r, i) =>
      i === 0 ? s.write(ok("a")) : s.destroy(void s.write("HTTP/1.1 200 OK\r\nContent-Le")),
    );
    const send = sender(srv.url);
    await post(send, `${srv.url}/x`);
    await expect(post(send, `${srv.url}/x`)).rejects.toThrow(/closed mid-response|ECONNRESET/);
    expect(srv.requests).toHaveLength(2);
  });

  it("aborts a hung request via the signal (socket destroyed) and a queued one", async () => {
    let gotRequest!: () => void;
    const arrived = new Promise<void>((r) => (gotRequest = r));
    const srv = await rawServer(() => gotRequest());
    const send = sender(srv.url, 1);
    const a = new AbortController();
    const b = new AbortController();
    const hung = post(send, `${srv.url}/hang`, "{}", {}, a.signal);
    const queued = post(send, `${srv.url}/queued`, "{}", {}, b.signal);
    await arrived;
    b.abort();
    await expect(queued).rejects.toThrow(/abort/);
    const serverSide = once(srv.sockets[0], "close");
    a.abort();
    await expect(hung).rejects.toThrow(/abort/);
    await serverSide;
    await expect(post(send, `${srv.url}/late`, "{}", {}, AbortSignal.abort())).rejects.toThrow(/abort/);
    expect(srv.requests.map((r) => r.path)).toEqual(["/hang"]);
  });

  it("closes idle sockets after idleTimeoutMs and reconnects for the next request", async () => {
    const srv = await rawServer((s) => s.write(ok("ok")));
    const send = sender(srv.url, 1, { idleTimeoutMs: 30 });
    await post(send, `${srv.url}/x`);
    await once(srv.sockets[0], "close");
    expect((await post(send, `${srv.url}/x`)).text).toBe("ok");
    expect(srv.sockets).toHaveLength(2);
  });

  it("idle sockets do not keep the process alive", async () => {
    const srv = await httpServer((_q, _b, res) => res.end("child-ok"), { keepAliveTimeout: 120_000 });
    const module = fileURLToPath(new URL("../src/transport/lean-http.ts", import.meta.url));
    const script = `
      const { leanHttpSender } = await import(${JSON.stringify(module)});
      const send = leanHttpSender(${JSON.stringify(srv.url)}, 2, { idleTimeoutMs: 60000 });
      const res = await send({ method: "POST", url: ${JSON.stringify(`${srv.url}/x`)}, headers: {}, body: "{}", signal: new AbortController().signal });
      console.log(res.text);`;
    const started = Date.now();
    // The server keeps connections for 120 s and the client's idle timeout is 60 s: only unref'd sockets let it exit.
    const { code, stdout, stderr } = await runModule(script, { tsx: true });
    expect((stdout + stderr).trim()).toBe("child-ok");
    expect(code).toBe(0); // not killed by the guard
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("returns undefined without node:net (edge runtimes) or for non-HTTP endpoints", () => {
    const proc = process as { getBuiltinModule?: unknown };
    const saved = proc.getBuiltinModule;
    try {
      delete proc.getBuiltinModule;
      expect(leanHttpSender("http://127.0.0.1:1", 1)).toBeUndefined();
    } finally {
      proc.getBuiltinModule = saved;
    }
    expect(leanHttpSender("ftp://127.0.0.1:1", 1)).toBeUndefined();
    expect(leanHttpSender("http://127.0.0.1:1", 1)).toBeTypeOf("function");
  });
});

const hasOpenssl = (() => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe("leanHttpSender over TLS", () => {
  it.skipIf(!hasOpenssl)(
    "talks HTTPS with certificate verification (self-signed CA passed via tls.ca); skipped without openssl",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "lean-tls-"));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      execFileSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-days",
          "1",
          "-subj",
          "/CN=localhost",
          "-addext",
          "subjectAltName=DNS:localhost,IP:127.0.0.1",
          "-keyout",
          join(dir, "key.pem"),
          "-out",
          join(dir, "cert.pem"),
        ],
        { stdio: "ignore" },
      );
      const cert = readFileSync(join(dir, "cert.pem"));
      const server = createHttpsServer({ key: readFileSync(join(dir, "key.pem")), cert }, (req, res) => {
        req.resume();
        req.on("end", () =>
          res.end(`tls ${req.socket.constructor.name} ${(req.socket as import("node:tls").TLSSocket).alpnProtocol}`),
        );
      });
      server.listen(0, "127.0.0.1");
      await once(server, "listening");
      cleanups.push(() => (server.closeAllConnections(), new Promise((r) => server.close(r))));
      const { port } = server.address() as { port: number };
      for (const host of ["localhost", "127.0.0.1"]) {
        const url = `https://${host}:${port}`;
        const send = sender(url, 1, { tls: { ca: cert } });
        expect(await post(send, `${url}/x`)).toEqual({ status: 200, retryAfter: null, text: "tls TLSSocket http/1.1" });
        expect((await post(send, `${url}/x`)).status).toBe(200);
      }
      const url = `https://localhost:${port}`;
      await expect(post(sender(url), `${url}/x`)).rejects.toThrow(/self[- ]signed|certificate/i);
    },
  );
});
