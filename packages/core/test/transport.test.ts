import { afterEach, describe, expect, it } from "vitest";
import { SDK_VERSION } from "../src/index.js";
import { clientFor, startStandIn, type StandIn } from "./helpers.js";

let standIn: StandIn;
afterEach(async () => {
  await standIn?.close();
});

const tracePosts = (s: StandIn) => s.requests.filter((r) => r.method === "POST" && r.path === "/traces");

describe("transport over HTTP to the stand-in", () => {
  it("sends one POST /traces per trace with spans inline and the SDK headers", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    for (let i = 0; i < 3; i++) {
      client.startTrace(`t${i}`, { input: { messages: [{ role: "user", content: `q${i}` }] } }, (t) => {
        t.startSpan("llm", { kind: "LLM", model: "gpt-x" })
          .setTokenUsage({ prompt_tokens: 3, completion_tokens: 2 })
          .end();
        t.startSpan("tool", { kind: "TOOL" }).end({ output: "ok" });
      });
    }
    const res = await client.flush();
    expect(res).toMatchObject({ ok: true, sent: 3, failed: 0, dropped: 0, pending: 0 });
    const traces = await standIn.waitForTraces(3);
    expect(traces.map((t) => t.spans.length)).toEqual([2, 2, 2]);
    const posts = tracePosts(standIn);
    expect(posts).toHaveLength(3);
    const h = posts[0].headers;
    expect(h["x-api-key"]).toBe(standIn.apiKey);
    expect(h["x-project-name"]).toBe(standIn.projectName);
    expect(h["content-type"]).toBe("application/json");
    expect(h["user-agent"]).toBe(`pandaprobe-typescript/${SDK_VERSION}`);
    expect(h["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const llm = traces[0].spans.find((s: { name: string }) => s.name === "llm");
    expect(llm).toMatchObject({
      kind: "LLM",
      status: "OK",
      model: "gpt-x",
      token_usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    });
    expect(standIn.schemaErrors()).toEqual([]);
  });

  it("keeps the X-Request-ID across retries and delivers after 503s", async () => {
    standIn = await startStandIn();
    standIn.faults.failNext(2, 503);
    const { client, errors } = clientFor(standIn);
    client.startTrace("retry-me").end();
    await client.flush();
    await standIn.waitForTraces(1);
    const ids = tracePosts(standIn).map((r) => r.headers["x-request-id"]);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    expect(errors.filter((e) => e.status === 503 && !e.final)).toHaveLength(2);
  });

  it("loses no trace while the backend answers 503 for a while, then recovers", async () => {
    standIn = await startStandIn();
    standIn.faults.failWhile(503);
    const { client } = clientFor(standIn, { maxRetries: 50 });
    for (let i = 0; i < 40; i++) client.startTrace(`t${i}`).end();
    await standIn.waitForRequests((r) => r.status === 503, { count: 60 });
    standIn.faults.clear();
    const res = await client.flush({ timeoutMs: 15_000 });
    expect(res.pending).toBe(0);
    const traces = await standIn.waitForTraces(40);
    expect(new Set(traces.map((t) => t.name)).size).toBe(40);
    expect(client.stats()).toMatchObject({ failed: 0, dropped: 0 });
  });

  it("pauses on a 429 storm (no Retry-After) and delivers everything once it lifts", async () => {
    standIn = await startStandIn({ traceRateLimit: { limit: 5, windowMs: 300 } });
    // Pacing off (clientFor), so the stand-in's window is what limits; the client knows its length.
    const { client, errors } = clientFor(standIn, { rateLimitWindowMs: 300, rateLimitMarginMs: 50 });
    for (let i = 0; i < 30; i++) client.startTrace(`t${i}`).end();
    const res = await client.flush({ timeoutMs: 20_000 });
    expect(res).toMatchObject({ ok: true, failed: 0, dropped: 0 });
    expect(await standIn.waitForTraces(30)).toHaveLength(30);
    const limited = standIn.requests.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(errors.some((e) => e.status === 429 && !e.final)).toBe(true);
  });

  it("drops traces the plan quota refuses (429 with a detail), remembers it, reports why, and keeps scores flowing", async () => {
    standIn = await startStandIn({ quota: { plan: "HOBBY", limit: 3 } });
    // One request at a time and a quota probe only every minute: which traces go out is deterministic.
    const { client, errors } = clientFor(standIn, { maxRetries: 50, concurrency: 1, retryMaxMs: 60_000 });
    const traces = Array.from({ length: 6 }, (_, i) => client.startTrace(`t${i}`));
    for (const t of traces) t.end();
    const res = await client.flush({ timeoutMs: 5_000 });
    expect(res).toMatchObject({ ok: false, timedOut: false, sent: 3, failed: 1, dropped: 2, pending: 0 });
    // The refusal is remembered: the two traces after it are dropped without a request.
    expect(client.stats()).toMatchObject({
      failedByReason: { quota_exceeded: 1 },
      droppedByReason: { quota_exceeded: 2 },
    });
    expect(tracePosts(standIn)).toHaveLength(4);
    const refused = errors.filter((e) => e.status === 429);
    expect(refused).toHaveLength(1);
    expect(refused[0].final && refused[0].serverMessage).toMatch(/traces limit \(3\) for your HOBBY plan/);
    expect(refused[0].message).toMatch(/plan quota reached/);
    // The quota covers POST /traces only: a score for a delivered trace still goes out.
    const delivered = (await standIn.waitForTraces(3)).map((t) => t.trace_id as string);
    expect(client.score({ traceId: delivered[0], name: "helpful", value: 1 })).toBe(true);
    expect(await client.flush()).toMatchObject({ ok: true, sent: 1, failed: 0 });
    expect(standIn.schemaErrors()).toEqual([]);
  });

  it("treats the rate limiter's 429 (an error body, no detail) as a pause, never as the quota", async () => {
    standIn = await startStandIn({ traceRateLimit: { limit: 2, windowMs: 200 } });
    const { client } = clientFor(standIn, { rateLimitWindowMs: 200, rateLimitMarginMs: 50 });
    for (let i = 0; i < 6; i++) client.startTrace(`t${i}`).end();
    const res = await client.flush({ timeoutMs: 10_000 });
    expect(res).toMatchObject({ ok: true, failed: 0, dropped: 0 });
    expect(standIn.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(client.stats().droppedByReason).toEqual({});
  });

  it("honours the client-side traces-per-minute limit without 429s", async () => {
    standIn = await startStandIn({ traceRateLimit: { limit: 1000, windowMs: 60_000 } });
    const { client } = clientFor(standIn, { tracesPerMinute: 1000 });
    for (let i = 0; i < 20; i++) client.startTrace(`t${i}`).end();
    await client.flush();
    expect(standIn.requests.filter((r) => r.status === 429)).toHaveLength(0);
  });

  it("does not retry 401 or 422 and reports the server's message", async () => {
    standIn = await startStandIn();
    const { client: bad, errors } = clientFor(standIn, { apiKey: "sk_pp_wrong" });
    bad.startTrace("x").end();
    const res = await bad.flush();
    expect(res).toMatchObject({ failed: 1, pending: 0 });
    expect(tracePosts(standIn)).toHaveLength(1);
    expect(errors.find((e) => e.final)).toMatchObject({
      kind: "http",
      status: 401,
      serverMessage: "Invalid or revoked API key.",
    });

    standIn.faults.failNext(1, 422);
    const { client, errors: errors2 } = clientFor(standIn);
    client.startTrace("y").end();
    await client.flush();
    expect(errors2.find((e) => e.final)).toMatchObject({ status: 422 });
    expect(client.stats().failedByReason).toMatchObject({ rejected: 1 });
  });

  it("keeps memory under the cap with a dead backend and counts every drop", async () => {
    standIn = await startStandIn();
    const url = standIn.url;
    await standIn.close();
    const { client } = clientFor(standIn, {
      endpoint: url,
      maxQueueSize: 50,
      maxQueueBytes: 64 * 1024,
      maxRetries: 1000,
    });
    const big = "x".repeat(2000);
    // Ten traces per turn of the event loop, so they reach the queue (a synchronous burst beyond the caps is shed
    // before it, as recording_overflow: see memory-burst.test.ts).
    for (let i = 0; i < 500; i++) {
      client.startTrace(`t${i}`, { input: big }).end();
      if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
    }
    const stats = client.stats();
    expect(stats.pending).toBeLessThanOrEqual(50);
    expect(stats.pendingBytes).toBeLessThanOrEqual(64 * 1024);
    expect(stats.dropped).toBe(500 - stats.pending);
    expect((stats.droppedByReason.queue_full ?? 0) + (stats.droppedByReason.queue_bytes ?? 0)).toBe(stats.dropped);
    const res = await client.shutdown({ timeoutMs: 50 });
    // What shutdown leaves is dropped (shutdown_pending) and reported as such: nothing is pending afterwards. The
    // result covers everything since the client started (no flush before), so the queue-cap drops too.
    expect(res).toMatchObject({ ok: false, sent: 0, pending: 0, dropped: 500 });
    expect(client.stats()).toMatchObject({
      pending: 0,
      dropped: 500,
      droppedByReason: { shutdown_pending: stats.pending },
    });
  });

  it("flush({ timeoutMs: 200 }) against a hung server returns in about 200 ms with the pending count", async () => {
    standIn = await startStandIn();
    standIn.faults.hang(true);
    const { client } = clientFor(standIn);
    client.startTrace("stuck").end();
    const t0 = performance.now();
    const res = await client.flush({ timeoutMs: 200 });
    const took = performance.now() - t0;
    expect(res).toMatchObject({ ok: false, timedOut: true, pending: 1 });
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(600);
    await client.shutdown({ timeoutMs: 10 });
    standIn.faults.hang(false);
  });

  it("stores a 1,200-span trace whole (500 inline, the rest through /spans, retried while 404)", async () => {
    standIn = await startStandIn({ persistDelayMs: 100 });
    const { client } = clientFor(standIn);
    client.startTrace("big", {}, (t) => {
      for (let i = 0; i < 1200; i++) t.startSpan(`s${i}`).end();
    });
    const res = await client.flush({ timeoutMs: 15_000 });
    expect(res).toMatchObject({ ok: true, failed: 0 });
    const [trace] = await standIn.waitForTraces(1);
    expect(standIn.getTrace(trace.trace_id)!.spans).toHaveLength(1200);
    const spanPosts = standIn.requests.filter((r) => r.path.endsWith("/spans"));
    expect(spanPosts.some((r) => r.status === 404)).toBe(true);
    expect(spanPosts.filter((r) => r.status === 201)).toHaveLength(2);
    expect(standIn.schemaErrors()).toEqual([]);
  });

  it("cuts a long agent run's trace into requests of about 4 MB, so a byte cap or a proxy's body limit never drops it whole", async () => {
    standIn = await startStandIn({ persistDelayMs: 20 });
    const { client } = clientFor(standIn, { maxQueueBytes: 8 * 1024 * 1024 });
    const conversation = "x".repeat(900_000); // each LLM span carries the whole (long) conversation
    client.startTrace("agent", {}, (t) => {
      for (let i = 0; i < 12; i++)
        t.startSpan(`llm-${i}`, { kind: "OTHER", input: conversation }).end({ output: `step ${i}` });
    });
    const res = await client.flush({ timeoutMs: 15_000 });
    expect(res).toMatchObject({ ok: true, failed: 0, dropped: 0 });
    const [trace] = await standIn.waitForTraces(1);
    await standIn.waitForRequests((r) => r.path.endsWith("/spans") && r.status === 201, { count: 2 });
    expect(
      standIn
        .getTrace(trace.trace_id)!
        .spans.map((s) => s.name)
        .sort(),
    ).toEqual(Array.from({ length: 12 }, (_, i) => `llm-${i}`).sort());
    const bodies = standIn.requests.filter((r) => r.method === "POST" && r.status !== 404).map((r) => r.rawBody.length);
    expect(bodies.length).toBeGreaterThanOrEqual(3);
    for (const size of bodies) expect(size).toBeLessThan(4.5 * 1024 * 1024);
    expect(standIn.schemaErrors()).toEqual([]);
  });

  it("stores circular, BigInt and NUL inputs without error", async () => {
    standIn = await startStandIn();
    const { client, errors } = clientFor(standIn);
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    client.startTrace("bad\u0000name", { input: circular, metadata: { big: 10n, nul: "a\u0000b" } }, (t) => {
      t.startSpan("s", { input: { n: 2n ** 70n } }).end({ output: "x\u0000y" });
    });
    await client.flush();
    const [trace] = await standIn.waitForTraces(1);
    expect(trace.name).toBe("badname");
    expect(trace.input).toEqual({ a: 1, self: "[Circular]" });
    expect(trace.metadata).toMatchObject({ big: "10", nul: "ab" });
    expect(trace.spans[0]).toMatchObject({ input: { n: "1180591620717411303424" }, output: "xy" });
    expect(errors).toEqual([]);
  });

  it("cuts over-long names and ids instead of losing the trace", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    client.startTrace(
      "n".repeat(600),
      { userId: "u".repeat(300), sessionId: "s".repeat(300), environment: "e".repeat(300) },
      (t) => {
        t.startSpan("m".repeat(600), { model: "g".repeat(300) }).end();
      },
    );
    await client.flush();
    const [trace] = await standIn.waitForTraces(1);
    expect(trace.name).toHaveLength(512);
    expect(trace.user_id).toHaveLength(255);
    expect(trace.session_id).toHaveLength(255);
    expect(trace.environment).toHaveLength(255);
    expect(trace.spans[0].name).toHaveLength(512);
    expect(trace.spans[0].model).toHaveLength(255);
  });

  it("caps a 50 MB input at maxFieldSize with a marker", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn, { maxFieldSize: 10_000 });
    client.startTrace("huge", { input: "y".repeat(50 * 1024 * 1024) }).end();
    await client.flush();
    const [trace] = await standIn.waitForTraces(1);
    expect(String(trace.input).length).toBeLessThan(10_100);
    expect(trace.input).toMatch(/…\[truncated \d+ chars\]$/);
  });

  it("shutdown is idempotent, and traces after it are dropped and counted", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    client.startTrace("before").end();
    const first = await client.shutdown();
    expect(first).toMatchObject({ ok: true, sent: 1 });
    await expect(client.shutdown()).resolves.toMatchObject({ ok: true });
    client.startTrace("after").end();
    expect(client.enabled).toBe(false);
    expect(client.stats().droppedByReason).toMatchObject({ shutdown: 1 });
    expect((await standIn.waitForTraces(1)).map((t) => t.name)).toEqual(["before"]);
  });
});
