/**
 * Delivery against the stand-in: pacing to the backend's rate window, 429s, outages (one probe at a time), the plan
 * quota, honest results and timeouts.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { deferRecording, logger } from "../src/integration/index.js";
import type { PandaProbe, TransportStats } from "../src/index.js";
import { clientFor, startStandIn, type StandIn } from "./helpers.js";

let standIn: StandIn | undefined;
const clients: PandaProbe[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of clients.splice(0)) await c.shutdown({ timeoutMs: 100 });
  await standIn?.close();
  standIn = undefined;
});

function track<T extends { client: PandaProbe }>(made: T): T {
  clients.push(made.client);
  return made;
}

const tracePosts = (s: StandIn) => s.requests.filter((r) => r.method === "POST" && r.path === "/traces");
const burst = (client: PandaProbe, n: number, prefix = "t") => {
  for (let i = 0; i < n; i++) client.startTrace(`${prefix}${i}`).end();
};
/** Every item accepted is sent, failed, dropped or pending. */
function expectBalanced(stats: TransportStats): void {
  expect(stats.sent + stats.failed + stats.dropped + stats.pending).toBe(stats.accepted);
  const sum = (o: Partial<Record<string, number>>) => Object.values(o).reduce((a, b) => a! + b!, 0);
  expect(sum(stats.failedByReason)).toBe(stats.failed);
  expect(sum(stats.droppedByReason)).toBe(stats.dropped);
}
/** Captures the SDK's warnings. */
function captureWarnings(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const prev = logger.setSink({ debug() {}, warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) });
  return { lines, restore: () => logger.setSink(prev) };
}

describe("pacing to the backend's rate window (the stand-in enforces 100 per window per key; the window is shortened)", () => {
  const windowMs = 1000;

  it("a 250-trace burst with default pacing draws no 429 and delivers everything", async () => {
    // The margin covers the stand-in's window starting when request 1 arrives, later than the client sent it (as
    // on the real backend); at the default's ratio (2 s of 60 s) a loaded machine's delay could exceed it here.
    standIn = await startStandIn({ traceRateLimit: { limit: 100, windowMs }, defaultRateLimit: false });
    const { client } = track(
      clientFor(standIn, { tracesPerMinute: 100, rateLimitWindowMs: windowMs, rateLimitMarginMs: 1000 }),
    );
    burst(client, 250);
    const res = await client.flush({ timeoutMs: 20_000 });
    expect(res).toMatchObject({ ok: true, sent: 250, failed: 0, dropped: 0, pending: 0 });
    expect(tracePosts(standIn).filter((r) => r.status === 429)).toHaveLength(0);
    expect(tracePosts(standIn)).toHaveLength(250);
    expect(await standIn.waitForTraces(250)).toHaveLength(250);
    // Request 101 arrived more than a window after request 1.
    const posts = tracePosts(standIn);
    expect(posts[100]!.receivedAt - posts[0]!.receivedAt).toBeGreaterThanOrEqual(windowMs);
    expectBalanced(client.stats());
  });

  it("with pacing off, each window's 429s are bounded by the requests in flight, nothing is re-sent into a closed window, nothing is lost", async () => {
    standIn = await startStandIn({ traceRateLimit: { limit: 100, windowMs }, defaultRateLimit: false });
    const { client, errors } = track(
      clientFor(standIn, { tracesPerMinute: 0, rateLimitWindowMs: windowMs, rateLimitMarginMs: 100, maxRetries: 0 }),
    );
    burst(client, 250);
    const res = await client.flush({ timeoutMs: 20_000 });
    expect(res).toMatchObject({ ok: true, sent: 250, failed: 0, dropped: 0, pending: 0 });
    const limited = tracePosts(standIn).filter((r) => r.status === 429);
    // 250 traces need three windows; in each closed window only the (at most 4) requests in flight are refused.
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.length).toBeLessThanOrEqual(4 * 2);
    // After a 429 the next POST /traces waits until the window can have reopened.
    for (const r of limited) {
      const next = tracePosts(standIn).find((p) => p.receivedAt > r.respondedAt! && p.status !== 429);
      if (next) expect(next.receivedAt - r.respondedAt!).toBeGreaterThanOrEqual(windowMs + 100 - 5);
    }
    expect(errors.filter((e) => e.final)).toEqual([]);
    expect(new Set((await standIn.waitForTraces(250)).map((t) => t.name)).size).toBe(250);
    expectBalanced(client.stats());
  });

  it("during an outage one request at a time probes, failures do not use up the window, one line says failing and one recovered", async () => {
    // The real window length: if failed requests used the budget, the last traces would wait a minute.
    standIn = await startStandIn({ traceRateLimit: { limit: 100, windowMs: 60_000 }, defaultRateLimit: false });
    const log = captureWarnings();
    try {
      const { client } = track(clientFor(standIn, { tracesPerMinute: 100, maxRetries: 1000 }));
      const stop = standIn.faults.failWhile(503);
      burst(client, 90);
      await standIn.waitForRequests((r) => r.status === 503, { count: 12 });
      stop();
      const res = await client.flush({ timeoutMs: 10_000 });
      expect(res).toMatchObject({ ok: true, sent: 90, failed: 0, dropped: 0, pending: 0, timedOut: false });
      const posts = tracePosts(standIn);
      const failed = posts.filter((r) => r.status === 503);
      // The first requests were in flight together (concurrency 4); after them, each probe waits for the answer
      // to the one before.
      const probes = posts.slice(5, failed.length);
      for (let i = 0; i < probes.length; i++)
        expect(probes[i]!.receivedAt).toBeGreaterThanOrEqual(posts[4 + i]!.respondedAt!);
      expect(posts.filter((r) => r.status === 429)).toHaveLength(0);
      expect(log.lines.filter((l) => /delivery is failing/.test(l))).toHaveLength(1);
      expect(log.lines.filter((l) => /delivery recovered/.test(l))).toHaveLength(1);
      expect(new Set((await standIn.waitForTraces(90)).map((t) => t.name)).size).toBe(90);
      expectBalanced(client.stats());
    } finally {
      log.restore();
    }
  });

  it("a connection refused is an outage like a 503: probed one at a time, delivered once the backend is back", async () => {
    standIn = await startStandIn();
    const port = Number(new URL(standIn.url).port);
    await standIn.close();
    const { client, errors } = track(clientFor(standIn, { maxRetries: 1000 }));
    burst(client, 20);
    await vi.waitUntil(() => errors.filter((e) => e.kind === "network").length >= 8, { timeout: 5000, interval: 5 });
    standIn = await startStandIn({ port });
    const res = await client.flush({ timeoutMs: 10_000 });
    expect(res).toMatchObject({ ok: true, sent: 20, failed: 0, dropped: 0 });
    expect(await standIn.waitForTraces(20)).toHaveLength(20);
  });
});

describe("the plan quota", () => {
  it("is remembered: traces are dropped without a request until a later probe is accepted", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    standIn = await startStandIn({ quota: { plan: "HOBBY", limit: 1 } });
    const { client } = track(clientFor(standIn, { concurrency: 1, retryMaxMs: 60_000 }));
    burst(client, 3, "before");
    expect(await client.flush()).toMatchObject({ ok: false, sent: 1, failed: 1, dropped: 1 });
    expect(tracePosts(standIn)).toHaveLength(2);
    standIn.setQuota(undefined); // the plan was upgraded
    burst(client, 1, "unknown");
    expect(await client.flush()).toMatchObject({ sent: 0, dropped: 1 }); // not tried again before retryMaxMs
    expect(tracePosts(standIn)).toHaveLength(2);
    vi.setSystemTime(Date.now() + 61_000);
    burst(client, 3, "after");
    expect(await client.flush()).toMatchObject({ ok: true, sent: 3, failed: 0, dropped: 0 });
    expect(tracePosts(standIn)).toHaveLength(5);
    expect(client.stats()).toMatchObject({
      failedByReason: { quota_exceeded: 1 },
      droppedByReason: { quota_exceeded: 2 },
    });
    expectBalanced(client.stats());
  });
});

describe("honest results", () => {
  it("flush() is not ok after 422s, and stats() adds up", async () => {
    standIn = await startStandIn();
    standIn.faults.failNext(5, 422);
    const { client } = track(clientFor(standIn));
    burst(client, 8);
    expect(await client.flush()).toMatchObject({ ok: false, sent: 3, failed: 5, dropped: 0, pending: 0 });
    expect(client.stats()).toMatchObject({ accepted: 8, sent: 3, failed: 5, failedByReason: { rejected: 5 } });
    // The next flush covers what was settled since.
    burst(client, 2);
    expect(await client.flush()).toMatchObject({ ok: true, sent: 2, failed: 0 });
    expectBalanced(client.stats());
  });

  it("counts span chunks held by their trace as pending, and drops them with it", async () => {
    standIn = await startStandIn();
    standIn.faults.failNext(1, 422, { path: "/traces" });
    const { client } = track(clientFor(standIn));
    client.startTrace("big", {}, (t) => {
      for (let i = 0; i < 1100; i++) t.startSpan(`s${i}`).end();
    });
    const before = client.stats();
    expect(before.pending).toBe(3); // the trace and its two held chunks
    expectBalanced(before);
    expect(await client.flush()).toMatchObject({ ok: false, failed: 1, dropped: 2 });
    expect(client.stats()).toMatchObject({ droppedByReason: { parent_failed: 2 }, failedByReason: { rejected: 1 } });
    expectBalanced(client.stats());
  });

  it("accepts any timeout, Infinity included, without a TimeoutOverflowWarning, and never waits past it", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      standIn = await startStandIn();
      standIn.faults.slow(200);
      const { client } = track(clientFor(standIn));
      burst(client, 2);
      expect(await client.flush({ timeoutMs: Number.POSITIVE_INFINITY })).toMatchObject({ ok: true, sent: 2 });
      burst(client, 2);
      expect(await client.flush({ timeoutMs: 2 ** 31 })).toMatchObject({ ok: true, sent: 2 });
      burst(client, 2);
      expect(await client.shutdown({ timeoutMs: Number.POSITIVE_INFINITY })).toMatchObject({
        ok: true,
        sent: 2,
        dropped: 0,
      });
      // A hung backend: shutdown returns at its deadline, not later.
      standIn.faults.slow(0);
      standIn.faults.hang(true);
      const { client: stuck } = track(clientFor(standIn));
      burst(stuck, 3);
      const t0 = performance.now();
      const res = await stuck.shutdown({ timeoutMs: 150 });
      expect(performance.now() - t0).toBeLessThan(400);
      expect(res).toMatchObject({ ok: false, timedOut: true, pending: 0, dropped: 3 });
      expect(stuck.stats().droppedByReason).toEqual({ shutdown_pending: 3 });
      standIn.faults.hang(false);
      await new Promise((r) => setImmediate(r));
      expect(warnings).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });
});

describe("scores wait until their trace is readable", () => {
  it("survive a worker backlog far longer than the old retry budget (500s retried with backoff)", async () => {
    standIn = await startStandIn({ persistDelayMs: 1500 });
    const { client } = track(clientFor(standIn, { maxRetries: 2 }));
    const t = client.startTrace("scored");
    t.end();
    client.score({ traceId: t.id, name: "quality", value: 0.5 });
    const res = await client.flush({ timeoutMs: 15_000 });
    expect(res).toMatchObject({ ok: true, failed: 0, dropped: 0 });
    const scoreRequests = standIn.requests.filter((r) => r.path === "/evaluations/trace-scores");
    // Far more answers of 500 than maxRetries would have allowed: "not stored yet" does not use attempts up.
    expect(scoreRequests.filter((r) => r.status === 500).length).toBeGreaterThan(5);
    expect(standIn.scores()).toHaveLength(1);
    expectBalanced(client.stats());
  });

  it("give up as trace_not_stored after waitForTraceMs", async () => {
    standIn = await startStandIn({ persistDelayMs: 60_000 });
    const { client } = track(clientFor(standIn, { waitForTraceMs: 100 }));
    const t = client.startTrace("never-stored");
    t.end();
    client.score({ traceId: t.id, name: "quality", value: 0.5 });
    const res = await client.flush({ timeoutMs: 5_000 });
    expect(res).toMatchObject({ ok: false, sent: 1, failed: 1 });
    expect(client.stats().failedByReason).toEqual({ trace_not_stored: 1 });
  });
});

describe("each span is sent once", () => {
  it("a span ended by a deferred recording (a streamed call) goes out inline with its trace at shutdown, not twice", async () => {
    standIn = await startStandIn();
    const { client } = track(clientFor(standIn, { flushIntervalMs: 60_000 }));
    client.startTrace("request", {}, (t) => {
      const span = t.startSpan("openai-chat", { kind: "LLM" });
      // An integration records the finished stream off the caller's path.
      deferRecording(() => span.end({ output: "hello" }));
    });
    await client.shutdown();
    const [trace] = await standIn.waitForTraces(1);
    expect(trace!.spans.map((s) => [s.name, s.output, s.ended_at !== null])).toEqual([["openai-chat", "hello", true]]);
    expect(standIn.requests.filter((r) => r.path.endsWith("/spans"))).toHaveLength(0);
  });
});
