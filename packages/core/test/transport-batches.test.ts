import { afterEach, describe, expect, it } from "vitest";
import { PandaProbe, type PandaProbeErrorInfo, type PandaProbeOptions } from "../src/index.js";
import { clientFor, startStandIn, type StandIn } from "./helpers.js";
import { httpResponse, startRawServer, type Answer, type RawRequest, type RawServer } from "./raw-http-server.js";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function standIn(options?: Parameters<typeof startStandIn>[0]): Promise<StandIn> {
  const s = await startStandIn(options);
  cleanups.push(() => s.close());
  return s;
}

async function rawServer(
  onRequest: (req: RawRequest, answer: Answer, socket: import("node:net").Socket) => void,
): Promise<RawServer> {
  const srv = await startRawServer(onRequest);
  cleanups.push(() => srv.close());
  return srv;
}

/** A client of a raw server (fast retries, no client-side rate window), plus the errors it reported. */
function rawClient(
  srv: RawServer,
  options: PandaProbeOptions = {},
): { client: PandaProbe; errors: PandaProbeErrorInfo[] } {
  const errors: PandaProbeErrorInfo[] = [];
  const client = new PandaProbe({
    apiKey: "sk_pp_test",
    projectName: "batches",
    endpoint: srv.url,
    flushInterval: 0.01,
    retryBaseMs: 5,
    retryMaxMs: 40,
    tracesPerMinute: 0,
    onError: (e) => errors.push(e),
    ...options,
  });
  cleanups.push(() => client.shutdown({ timeoutMs: 100 }));
  return { client, errors };
}

const accepted = (req: RawRequest) =>
  httpResponse(202, JSON.stringify({ trace_id: JSON.parse(req.body.toString()).trace_id ?? null, task_id: "t" }));
const traceId = (req: RawRequest) => JSON.parse(req.body.toString()).trace_id as string;
const burst = (client: PandaProbe, n: number, prefix = "t") => {
  for (let i = 0; i < n; i++) client.startTrace(`${prefix}${i}`).end();
};
/** Requests per connection, by connection. */
const perConn = (srv: RawServer) =>
  srv.requests.reduce<number[]>((acc, r) => ((acc[r.conn] = (acc[r.conn] ?? 0) + 1), acc), []);

describe("transport batches: traces pipelined on keep-alive connections", () => {
  it("delivers a burst of 25 traces to the stand-in in one pipelined batch, schema-valid", async () => {
    const s = await standIn();
    s.faults.hang(true);
    const { client } = clientFor(s);
    burst(client, 25);
    const flushing = client.flush();
    // None is answered, yet all 25 arrive: they were written together, not one per round trip.
    await s.waitForRequests(25, { pending: true });
    expect(s.requests.every((r) => r.status === undefined)).toBe(true);
    s.faults.hang(false);
    expect(await flushing).toMatchObject({ ok: true, sent: 25, failed: 0, dropped: 0, pending: 0 });
    const traces = await s.waitForTraces(25);
    expect(new Set(traces.map((t) => t.name)).size).toBe(25);
    expect(s.schemaErrors()).toEqual([]);
    expect(client.stats()).toMatchObject({ sent: 25, failed: 0, dropped: 0, pending: 0 });
  });

  it("spreads a burst over connections only past one batch: 25 on one connection, 100 as 32+32+32+4", async () => {
    let expected = 25;
    let held: Array<() => void> = [];
    const srv = await rawServer((req, answer) => {
      held.push(() => answer(accepted(req)));
      if (held.length < expected) return;
      const all = held; // everything arrived before any answer: answer it all
      held = [];
      all.forEach((a) => a());
    });
    const { client } = rawClient(srv); // concurrency 4
    burst(client, 25);
    expect(await client.flush()).toMatchObject({ ok: true, sent: 25 });
    expect(perConn(srv)).toEqual([25]);
    expect(srv.requests.map((r) => r.depth)).toEqual(Array.from({ length: 25 }, (_, i) => i));

    srv.requests.length = 0;
    expected = 100;
    burst(client, 100);
    expect(await client.flush()).toMatchObject({ ok: true, sent: 100 });
    expect(
      perConn(srv)
        .filter(Boolean)
        .sort((a, b) => a - b),
    ).toEqual([4, 32, 32, 32]);
    expect(new Set(srv.requests.map(traceId)).size).toBe(100);
  });

  it("never pipelines a score: each is alone on its connection, traces around it are batched", async () => {
    // Answers are deferred one turn, so anything written together with a request arrives while it is unanswered.
    const srv = await rawServer((req, answer) =>
      setImmediate(() => answer(req.path === "/traces" ? accepted(req) : httpResponse(201, "{}"))),
    );
    const { client } = rawClient(srv, { concurrency: 1 });
    const delivered = client.startTrace("scored");
    delivered.end();
    await client.flush();
    srv.requests.length = 0;
    client.score({ traceId: delivered.id, name: "a", value: 0.5 });
    client.score({ traceId: delivered.id, name: "b", value: 0.7 });
    burst(client, 3);
    client.score({ traceId: delivered.id, name: "c", value: 1 });
    expect(await client.flush()).toMatchObject({ ok: true, sent: 6 });
    expect(srv.requests.map((r) => [r.path, r.depth])).toEqual([
      ["/evaluations/trace-scores", 0],
      ["/evaluations/trace-scores", 0],
      ["/evaluations/trace-scores", 0],
      ["/traces", 0],
      ["/traces", 1],
      ["/traces", 2],
    ]);
  });
});

describe("transport batches: failures in the middle of a batch", () => {
  it("a connection reset after 2 of 5 answers loses nothing and counts nothing twice", async () => {
    const answeredIds: string[] = [];
    const srv = await rawServer((req, answer, socket) => {
      const ok = () => (answeredIds.push(req.headers["x-request-id"]), answer(accepted(req)));
      if (req.conn > 0 || req.index < 2) return ok();
      if (req.index === 4) socket.destroy(); // all five arrived, two answered
    });
    const { client, errors } = rawClient(srv);
    burst(client, 5);
    expect(await client.flush()).toMatchObject({ ok: true, sent: 5, failed: 0, dropped: 0, pending: 0 });
    expect(client.stats()).toMatchObject({ sent: 5, failed: 0, dropped: 0 });
    expect(answeredIds).toHaveLength(5);
    expect(new Set(answeredIds).size).toBe(5); // every X-Request-ID answered once
    expect(new Set(srv.requests.map(traceId)).size).toBe(5);
    expect(srv.requests).toHaveLength(8); // 5 + the 3 unanswered, retried
    expect(errors.filter((e) => e.kind === "network" && !e.final)).toHaveLength(3);
  });

  it("recovers from the stand-in's 500-then-reset in the middle of a batch (stored whole, schema-valid)", async () => {
    const s = await standIn();
    s.faults.failNext(1, 500); // the first answer is a 500, then the stand-in resets that connection
    const { client } = clientFor(s);
    burst(client, 25);
    expect(await client.flush()).toMatchObject({ ok: true, sent: 25, failed: 0, dropped: 0 });
    expect(s.requests.some((r) => r.status === 0)).toBe(true);
    const traces = await s.waitForTraces(25);
    expect(new Set(traces.map((t) => t.name)).size).toBe(25);
    expect(s.schemaErrors()).toEqual([]);
    expect(client.stats()).toMatchObject({ sent: 25, failed: 0, dropped: 0 });
  });

  it("a 429 in the middle of a batch pauses sending; the rest is redelivered without counting attempts", async () => {
    let limitedAt = 0;
    let retriedAt = 0;
    const srv = await rawServer((req, answer, socket) => {
      if (req.conn > 0) {
        retriedAt ||= performance.now();
        return answer(accepted(req));
      }
      if (req.index === 0) answer(accepted(req));
      if (req.index === 1) {
        answer(
          httpResponse(429, JSON.stringify({ error: "Rate limit exceeded: 100 per 1 minute" }), "Retry-After: 0.2\r\n"),
        );
        limitedAt = performance.now();
      }
      if (req.index === 2) answer(httpResponse(503, JSON.stringify({ detail: "busy" })));
      if (req.index === 3) socket.destroy(); // a network error after the 429
    });
    // maxRetries 0: a counted attempt would drop the item.
    const { client, errors } = rawClient(srv, { maxRetries: 0, retryMaxMs: 1000 });
    burst(client, 4);
    expect(await client.flush()).toMatchObject({ ok: true, sent: 4, failed: 0, dropped: 0 });
    const retried = srv.requests.filter((r) => r.conn > 0);
    expect(retried).toHaveLength(3);
    expect(new Set([...srv.requests.slice(0, 1), ...retried].map(traceId)).size).toBe(4);
    expect(errors.filter((e) => e.status === 429)).toHaveLength(1);
    expect(errors.filter((e) => e.final)).toEqual([]);
    // Nothing was sent during the Retry-After pause.
    expect(retriedAt - limitedAt).toBeGreaterThanOrEqual(190);
  });

  it("the stand-in's rate limit hit mid-batch: everything is stored, nothing dropped", async () => {
    const s = await standIn({ traceRateLimit: { limit: 3, windowMs: 200 } });
    const { client, errors } = clientFor(s, { maxRetries: 0 });
    burst(client, 10);
    expect(await client.flush({ timeoutMs: 15_000 })).toMatchObject({ ok: true, sent: 10, failed: 0, dropped: 0 });
    expect(s.requests.filter((r) => r.status === 202)).toHaveLength(10);
    expect(s.requests.some((r) => r.status === 429)).toBe(true);
    expect(errors.filter((e) => e.final)).toEqual([]);
    expect(await s.waitForTraces(10)).toHaveLength(10);
    expect(s.schemaErrors()).toEqual([]);
  });

  it("a batch that times out keeps its answered items and retries the rest", async () => {
    const srv = await rawServer((req, answer) => {
      if (req.conn > 0 || req.index < 2) answer(accepted(req)); // the first connection goes silent after 2 answers
    });
    const { client, errors } = rawClient(srv, { requestTimeoutMs: 200 });
    burst(client, 5);
    expect(await client.flush()).toMatchObject({ ok: true, sent: 5, failed: 0, dropped: 0 });
    expect(perConn(srv)[0]).toBe(5);
    expect(
      srv.requests
        .filter((r) => r.conn > 0)
        .map(traceId)
        .sort(),
    ).toEqual(srv.requests.slice(2, 5).map(traceId).sort());
    expect(errors.filter((e) => e.kind === "network" && /aborted/.test(e.message))).toHaveLength(3);
  });

  it("shutdown aborts an in-flight batch: answered items count as sent, the rest as shutdown_pending", async () => {
    const srv = await rawServer((req, answer) => {
      if (req.index < 2) answer(accepted(req)); // then silent
    });
    const { client } = rawClient(srv);
    burst(client, 5);
    const res = await client.shutdown({ timeoutMs: 150 });
    // What shutdown leaves is dropped, and its result says so (nothing is pending after a shutdown).
    expect(res).toMatchObject({ ok: false, timedOut: true, sent: 2, dropped: 3, pending: 0 });
    expect(client.stats()).toMatchObject({ sent: 2, dropped: 3, pending: 0, droppedByReason: { shutdown_pending: 3 } });
    expect(srv.requests).toHaveLength(5);
  });
});

describe("transport batches over a user-supplied fetch", () => {
  it("sends a batch's requests concurrently and handles each outcome on its own", async () => {
    const s = await standIn();
    s.faults.failNext(3, 503);
    const { client, errors } = clientFor(s, { fetch: globalThis.fetch });
    burst(client, 25);
    expect(await client.flush()).toMatchObject({ ok: true, sent: 25, failed: 0, dropped: 0 });
    expect(await s.waitForTraces(25)).toHaveLength(25);
    expect(s.schemaErrors()).toEqual([]);
    expect(errors.filter((e) => e.status === 503 && !e.final)).toHaveLength(3);
  });
});
