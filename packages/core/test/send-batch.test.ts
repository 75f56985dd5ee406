import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { leanHttpSender } from "../src/transport/lean-http.js";
import {
  Canceller,
  fetchSender,
  type BatchResult,
  type HttpSender,
  type OutgoingRequest,
} from "../src/transport/http-sender.js";
import { runModule } from "./child-process.js";
import { httpResponse, startRawServer, type RawServer } from "./raw-http-server.js";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function rawServer(...args: Parameters<typeof startRawServer>): Promise<RawServer> {
  const srv = await startRawServer(...args);
  cleanups.push(() => srv.close());
  return srv;
}

function lean(url: string, concurrency = 1): HttpSender {
  const s = leanHttpSender(url, concurrency);
  if (!s) throw new Error("lean sender unavailable");
  return s;
}

const reqs = (url: string, n: number, method = "POST"): OutgoingRequest[] =>
  Array.from({ length: n }, (_, i) => ({
    method,
    url: `${url}/r${i}`,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ i }),
  }));
const texts = (results: BatchResult[]) =>
  results.map((r) => (r instanceof Error ? `error: ${r.message}` : `${r.status} ${r.text}`));
/** Answers `/rN` with 200 and body `rN`. */
const echo = (path: string) => httpResponse(200, path.slice(1));

describe("leanHttpSender.sendBatch: HTTP/1.1 pipelining", () => {
  it("writes the whole batch on one socket before any response, and maps responses in order (several per read, split across reads)", async () => {
    const held: Array<(write: (t: string) => void) => void> = [];
    let allArrived!: () => void;
    const arrived = new Promise<void>((r) => (allArrived = r));
    const srv = await rawServer((req, answer, socket) => {
      if (held.length === 8) return answer(echo(req.path));
      held.push((write) => answer(echo(req.path), write));
      if (held.length < 8) return;
      allArrived();
      // All 8 arrived unanswered: answer 0-2 and half of 3 in one write, the rest in a second write.
      let wire = "";
      held.forEach((a) => a((t) => (wire += t)));
      const cut = wire.indexOf("r3") - 5;
      socket.write(wire.slice(0, cut));
      setImmediate(() => socket.write(wire.slice(cut)));
    });
    const send = lean(srv.url, 4);
    const results = send.sendBatch(reqs(srv.url, 8), new Canceller());
    await arrived;
    expect(texts(await results)).toEqual(Array.from({ length: 8 }, (_, i) => `200 r${i}`));
    expect(srv.sockets).toHaveLength(1);
    expect(srv.requests.map((r) => [r.conn, r.depth])).toEqual(Array.from({ length: 8 }, (_, i) => [0, i]));
    // The socket stays alive for the next batch.
    expect(texts(await send.sendBatch(reqs(srv.url, 2), new Canceller()))).toEqual(["200 r0", "200 r1"]);
    expect(srv.sockets).toHaveLength(1);
  });

  it("keeps the first k results when the connection drops after k responses; the rest get errors", async () => {
    const srv = await rawServer((req, answer, socket) => {
      if (req.conn > 0) return answer(echo(req.path));
      if (req.path === "/r0" || req.path === "/r1") answer(echo(req.path));
      if (req.path === "/r4") socket.destroy(); // all 5 arrived: drop the connection after 2 answers
    });
    const send = lean(srv.url);
    const results = texts(await send.sendBatch(reqs(srv.url, 5), new Canceller()));
    expect(results.slice(0, 2)).toEqual(["200 r0", "200 r1"]);
    expect(results.slice(2)).toEqual(
      Array(3).fill(expect.stringMatching(/^error: (connection closed|read ECONNRESET)/)),
    );
    expect(texts(await send.sendBatch(reqs(srv.url, 2), new Canceller()))).toEqual(["200 r0", "200 r1"]);
  });

  it.each([
    ["Connection: close", (path: string) => httpResponse(200, path.slice(1), "Connection: close\r\n")],
    [
      "an HTTP/1.0 response",
      (path: string) => `HTTP/1.0 200 OK\r\nContent-Length: ${path.length - 1}\r\n\r\n${path.slice(1)}`,
    ],
  ])(
    "after %s mid-batch, sends the unanswered rest on a fresh socket, one request at a time",
    async (_name, closing) => {
      const srv = await rawServer((req, answer, socket) => {
        if (req.conn === 0 && req.path === "/r1") {
          answer(closing(req.path));
          socket.end();
        } else if (req.conn > 0 || req.path === "/r0") answer(echo(req.path));
      });
      const send = lean(srv.url);
      expect(texts(await send.sendBatch(reqs(srv.url, 5), new Canceller()))).toEqual(
        Array.from({ length: 5 }, (_, i) => `200 r${i}`),
      );
      const later = srv.requests.filter((r) => r.conn > 0);
      expect(later.map((r) => r.path)).toEqual(["/r2", "/r3", "/r4"]);
      expect(later.every((r) => r.depth === 0)).toBe(true); // not pipelined
    },
  );

  // ASCII, one-byte latin1 (é, ÿ: two UTF-8 bytes each), two-byte (世界, a surrogate pair) and empty bodies, in one buffer.
  const mixedBodies = [
    '{"a":1}',
    '{"t":"caf\u00e9 \u00ff"}',
    '{"t":"\u4e16\u754c \ud83d\udc3c"}',
    "",
    '{"t":"x\u00e9"}',
  ];
  const mixed = (url: string): OutgoingRequest[] =>
    mixedBodies.map((body, i) => ({
      method: "POST",
      url: `${url}/r${i}`,
      headers: { "Content-Type": "application/json", "X-Name": i % 2 ? "caf\u00e9" : "plain" },
      body,
    }));
  const received = (srv: RawServer, conn?: number) =>
    srv.requests
      .filter((r) => conn === undefined || r.conn === conn)
      .map((r) => [
        r.path,
        r.headers["content-length"],
        r.body.toString("utf8"),
        Buffer.from(r.headers["x-name"], "latin1").toString("latin1"),
      ]);
  const expected = (paths = mixedBodies.map((_, i) => i)) =>
    paths.map((i) => [
      `/r${i}`,
      String(Buffer.byteLength(mixedBodies[i])),
      mixedBodies[i],
      i % 2 ? "caf\u00e9" : "plain",
    ]);

  it("writes a batch mixing ASCII, latin1 and UTF-8 bodies and latin1 header values byte-exact, pipelined in one write", async () => {
    const held: Array<() => void> = [];
    const srv = await rawServer((req, answer) => {
      held.push(() => answer(echo(req.path)));
      if (held.length === mixedBodies.length) held.forEach((a) => a()); // all arrived before any answer
    });
    const send = lean(srv.url);
    expect(texts(await send.sendBatch(mixed(srv.url), new Canceller()))).toEqual(
      mixedBodies.map((_, i) => `200 r${i}`),
    );
    expect(received(srv)).toEqual(expected());
    expect(srv.requests.map((r) => [r.conn, r.depth])).toEqual(mixedBodies.map((_, i) => [0, i]));
  });

  it("resends the unanswered rest of a mixed batch one at a time after Connection: close, byte-exact", async () => {
    const srv = await rawServer((req, answer, socket) => {
      if (req.conn === 0 && req.path === "/r1") {
        answer(httpResponse(200, "r1", "Connection: close\r\n"));
        socket.end();
      } else if (req.conn > 0 || req.path === "/r0") answer(echo(req.path));
    });
    const send = lean(srv.url);
    expect(texts(await send.sendBatch(mixed(srv.url), new Canceller()))).toEqual(
      mixedBodies.map((_, i) => `200 r${i}`),
    );
    expect(received(srv, 0)).toEqual(expected()); // all pipelined on the first connection
    const later = srv.requests.filter((r) => r.conn > 0);
    expect(later.every((r) => r.depth === 0)).toBe(true);
    expect(received(srv).slice(mixedBodies.length)).toEqual(expected([2, 3, 4]));
  });

  it("retries the whole batch once, unpipelined, on a fresh socket when a reused socket fails before any response byte", async () => {
    const srv = await rawServer((req, answer, socket) => {
      if (req.conn === 0 && srv.requests.length > 1) return socket.destroy(); // the kept-alive socket dies on its second use
      answer(echo(req.path));
    });
    const send = lean(srv.url);
    expect(texts(await send.sendBatch(reqs(srv.url, 1), new Canceller()))).toEqual(["200 r0"]);
    expect(texts(await send.sendBatch(reqs(srv.url, 3), new Canceller()))).toEqual(["200 r0", "200 r1", "200 r2"]);
    expect(srv.requests.map((r) => [r.conn, r.path, r.depth])).toEqual([
      [0, "/r0", 0],
      [0, "/r0", 0],
      [0, "/r1", 1],
      [0, "/r2", 2], // pipelined on the reused socket, which failed
      [1, "/r0", 0],
      [1, "/r1", 0],
      [1, "/r2", 0], // the retry: one request at a time (RFC 9112 §9.3.2)
    ]);
  });

  it("aborting a batch keeps the answered results and fails the rest", async () => {
    let twoAnswered!: () => void;
    const answered = new Promise<void>((r) => (twoAnswered = r));
    const srv = await rawServer((req, answer) => {
      if (req.path === "/r0") answer(echo(req.path));
      if (req.path === "/r1") {
        answer(echo(req.path));
        twoAnswered();
      }
    });
    const send = lean(srv.url);
    const cancel = new Canceller();
    const pending = send.sendBatch(reqs(srv.url, 4), cancel);
    await answered;
    // Same process: the answers are already in the client's receive queue; its next poll phase reads them.
    await new Promise<void>((r) => setImmediate(() => setImmediate(r)));
    const closed = once(srv.sockets[0], "close");
    cancel.abort();
    expect(texts(await pending)).toEqual([
      "200 r0",
      "200 r1",
      expect.stringMatching(/aborted/),
      expect.stringMatching(/aborted/),
    ]);
    await closed; // the socket was destroyed
    expect(texts(await send.sendBatch(reqs(srv.url, 1), new Canceller()))).toEqual(["200 r0"]);
  });

  it("gives an invalid request its error in its slot and sends the others; an aborted signal sends nothing", async () => {
    const srv = await rawServer((req, answer) => answer(echo(req.path)));
    const send = lean(srv.url);
    const batch = reqs(srv.url, 4);
    batch[1] = { ...batch[1], headers: { "X-Evil": "a\r\nInjected: 1" } };
    batch[3] = { ...batch[3], url: "http://example.invalid/x" };
    const results = texts(await send.sendBatch(batch, new Canceller()));
    expect(results).toEqual([
      "200 r0",
      expect.stringMatching(/invalid character/),
      "200 r2",
      expect.stringMatching(/cannot send/),
    ]);
    const cancel = new Canceller();
    cancel.abort();
    expect(texts(await send.sendBatch(reqs(srv.url, 2), cancel))).toEqual([
      expect.stringMatching(/aborted/),
      expect.stringMatching(/aborted/),
    ]);
    expect(srv.requests.map((r) => r.path)).toEqual(["/r0", "/r2"]);
  });

  it("reads no body for a HEAD response in the middle of a batch", async () => {
    const srv = await rawServer((req, answer) =>
      answer(
        req.method === "HEAD"
          ? httpResponse(200, "", "").replace("Content-Length: 0", "Content-Length: 50")
          : echo(req.path),
      ),
    );
    const send = lean(srv.url);
    const batch = reqs(srv.url, 3);
    batch[1] = { ...batch[1], method: "HEAD", body: "" };
    expect(texts(await send.sendBatch(batch, new Canceller()))).toEqual(["200 r0", "200 ", "200 r2"]);
  });

  it("reads pipelined responses that trickle in one by one (read coalescing) and the process stays alive until the last", async () => {
    // A child process sends a batch of 30; the server answers one response per event-loop turn. The child must
    // print every result and exit by itself: a paused socket must neither stall nor let the process exit early.
    const srv = await rawServer((req, answer) => setImmediate(() => answer(echo(req.path))));
    const module = fileURLToPath(new URL("../src/transport/lean-http.ts", import.meta.url));
    const sender = fileURLToPath(new URL("../src/transport/http-sender.ts", import.meta.url));
    const script = `
      const { leanHttpSender } = await import(${JSON.stringify(module)});
      const { Canceller } = await import(${JSON.stringify(sender)});
      const send = leanHttpSender(${JSON.stringify(srv.url)}, 1);
      const reqs = Array.from({ length: 30 }, (_, i) => ({ method: "POST", url: ${JSON.stringify(srv.url)} + "/r" + i, headers: {}, body: "{}" }));
      const results = await send.sendBatch(reqs, new Canceller());
      console.log(results.map((r) => r.text ?? r.message).join(","));`;
    const { code, stdout, stderr } = await runModule(script, { tsx: true });
    expect((stdout + stderr).trim()).toBe(Array.from({ length: 30 }, (_, i) => `r${i}`).join(","));
    expect(code).toBe(0);
    expect(srv.sockets).toHaveLength(1);
    expect(srv.requests.at(-1)!.depth).toBeGreaterThan(0); // pipelined
  });
});

describe("fetchSender.sendBatch", () => {
  it("sends the requests concurrently and settles each on its own", async () => {
    let arrived = 0;
    let allArrived!: () => void;
    const all = new Promise<void>((r) => (allArrived = r));
    const answers: Array<() => void> = [];
    const srv = await rawServer((req, answer, socket) => {
      answers.push(() => (req.path === "/r1" ? socket.destroy() : answer(echo(req.path))));
      if (++arrived === 3) allArrived();
    });
    const send = fetchSender(fetch);
    const results = send.sendBatch(reqs(srv.url, 3), new Canceller());
    await all; // all three in flight at once (each on its own connection)
    answers.forEach((a) => a());
    const out = texts(await results);
    expect(out[0]).toBe("200 r0");
    expect(out[1]).toMatch(/^error: /);
    expect(out[2]).toBe("200 r2");
    expect(new Set(srv.requests.map((r) => r.conn)).size).toBe(3);
  });

  it("aborts every request of the batch through one Canceller", async () => {
    const srv = await rawServer(() => {});
    const send = fetchSender(fetch);
    const cancel = new Canceller();
    const results = send.sendBatch(reqs(srv.url, 2), cancel);
    while (srv.requests.length < 2) await new Promise<void>((r) => setImmediate(r));
    cancel.abort();
    expect(texts(await results)).toEqual([expect.stringMatching(/abort/i), expect.stringMatching(/abort/i)]);
  });
});
