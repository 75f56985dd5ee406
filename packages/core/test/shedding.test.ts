/**
 * Shedding within the backend's budget (the stand-in enforces 100 POST /traces per window per key; the window is
 * shortened): when more traces wait for the rate budget than `maxBacklogWindows` windows' worth, or the queue is full,
 * the least valuable go first: routine traces before errors, conversations not yet being delivered (whole, newest
 * first) before later turns of conversations already being delivered. Every shed trace is counted by reason.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PandaProbe, TransportStats } from "../src/index.js";
import { clientFor, startStandIn, type StandIn } from "./helpers.js";

let standIn: StandIn | undefined;
const clients: PandaProbe[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.shutdown({ timeoutMs: 100 });
  await standIn?.close();
  standIn = undefined;
});

function expectBalanced(stats: TransportStats): void {
  expect(stats.sent + stats.failed + stats.dropped + stats.pending).toBe(stats.accepted);
  const sum = (o: Partial<Record<string, number>>) => Object.values(o).reduce((a, b) => a! + b!, 0);
  expect(sum(stats.droppedByReason)).toBe(stats.dropped);
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const tracePosts = (s: StandIn) => s.requests.filter((r) => r.method === "POST" && r.path === "/traces");

describe("a budget of 100 traces per window, 1,000 traces offered within one window, 10 % of them errors", () => {
  it("delivers every error trace, counts every shed trace by reason, and holds no more than the backlog", async () => {
    const windowMs = 1000;
    standIn = await startStandIn({ traceRateLimit: { limit: 100, windowMs }, defaultRateLimit: false });
    const { client, errors } = clientFor(standIn, {
      tracesPerMinute: 100,
      rateLimitWindowMs: windowMs,
      rateLimitMarginMs: 1000,
    });
    clients.push(client);
    const backlog = 3 * 100; // maxBacklogWindows (default 3) windows' worth
    const failing = new Set<string>();
    let peakPending = 0;
    let peakBytes = 0;
    // 200 conversations of 5 turns, interleaved as concurrent users would send them, in ten bursts.
    for (let burst = 0; burst < 10; burst++) {
      for (let i = 0; i < 100; i++) {
        const n = burst * 100 + i;
        const t = client.startTrace(`turn-${burst >> 1}`, { sessionId: `conversation-${n % 200}`, input: { n } });
        const step = t.startSpan("llm", { kind: "LLM" });
        if (n % 10 === 7) {
          failing.add(t.id);
          step.end({ error: new Error("provider down") });
        } else step.end({ output: "ok" });
        t.end();
      }
      await nextTurn();
      const s = client.stats();
      peakPending = Math.max(peakPending, s.pending);
      peakBytes = Math.max(peakBytes, s.pendingBytes);
    }
    expect(failing.size).toBe(100);
    // Memory: no more than the backlog (plus the requests in flight) waited at any time.
    expect(peakPending).toBeLessThanOrEqual(backlog + 4);
    expect(peakBytes).toBeLessThan(backlog * 1024);

    await client.flush({ timeoutMs: 30_000 });
    const stored = standIn.traces();
    const storedIds = new Set(stored.map((t) => t.trace_id));
    for (const id of failing) expect(storedIds.has(id)).toBe(true);
    expect(tracePosts(standIn).filter((r) => r.status === 429)).toHaveLength(0);

    const stats = client.stats();
    expect(stats.sent).toBe(stored.length);
    expect(stats.droppedByReason).toEqual({ over_budget: 1000 - stored.length });
    expect(stored.length).toBeLessThanOrEqual(backlog + 100);
    expect(stats.pending).toBe(0);
    expectBalanced(stats);
    // Each shed trace was reported (onError), as every drop is.
    expect(errors.filter((e) => e.kind === "dropped")).toHaveLength(1000 - stored.length);
    expect(standIn.schemaErrors()).toEqual([]);
  }, 30_000);
});

describe("which traces are shed", () => {
  it("new conversations, whole and newest first, before later turns of one being delivered; routine before errors", async () => {
    // 2 traces per window and 2 windows of backlog: 4 traces may wait.
    standIn = await startStandIn({ traceRateLimit: false, defaultRateLimit: false });
    const { client } = clientFor(standIn, {
      tracesPerMinute: 2,
      maxBacklogWindows: 2,
      rateLimitWindowMs: 300,
      rateLimitMarginMs: 100,
    });
    clients.push(client);
    const offer = (name: string, sessionId?: string, error = false) => {
      const t = client.startTrace(name, { sessionId });
      if (error) t.setError(new Error("failed"));
      t.end();
      client.stats(); // records it into the queue now (normally on the next turn of the event loop)
    };
    // Conversation A is being delivered: its first turn was sent.
    offer("A1", "A");
    await vi.waitUntil(() => client.stats().sent === 1, { timeout: 5000, interval: 5 });
    // The rest is offered before anything else is sent, so the choices are deterministic.
    offer("B1", "B");
    offer("C1", "C");
    offer("D1", "D");
    offer("E1", "E"); // 4 waiting: the backlog is full
    offer("A2", "A"); // a later turn of A: the newest new conversation (E) is shed
    offer("E2", "E"); // a shed conversation stays shed: its later turns follow it
    offer("X", undefined, true); // an error: the newest new conversation (D) is shed
    offer("B2", "B"); // B started before C: C is shed, B keeps its place
    offer("F1", "F"); // the newest new conversation: shed itself
    offer("A3", "A"); // B (B1 and B2) is shed whole
    expect(client.stats().droppedByReason).toEqual({ over_budget: 7 });
    offer("Y", undefined, true); // room left
    offer("Z", undefined, true); // no new conversation left: the newest later turn (A3) is shed
    const afterOffers = client.stats();
    expect(afterOffers.droppedByReason).toEqual({ over_budget: 8 });
    expect(afterOffers.pending).toBe(4);
    expect(await client.flush({ timeoutMs: 10_000 })).toMatchObject({ sent: 5, dropped: 8, pending: 0 });
    expect(
      standIn
        .traces()
        .map((t) => t.name)
        .sort(),
    ).toEqual(["A1", "A2", "X", "Y", "Z"]);
    // Errors are sent first: A2 was waiting before them.
    expect(tracePosts(standIn).map((r) => (r.body as { name: string }).name)).toEqual(["A1", "X", "Y", "Z", "A2"]);

    // With room again, a shed conversation stays shed; errors are never shed for other errors.
    offer("E3", "E");
    expect(client.stats().droppedByReason).toEqual({ over_budget: 9 });
    for (let i = 1; i <= 5; i++) offer(`e${i}`, undefined, true); // e5 finds the backlog full of errors
    offer("r", undefined); // routine, behind errors only: shed itself
    expect(client.stats().droppedByReason).toEqual({ over_budget: 11 });
    await client.flush({ timeoutMs: 10_000 });
    expect(
      standIn
        .traces()
        .map((t) => t.name)
        .filter((n) => !/^[AXYZ]/.test(n))
        .sort(),
    ).toEqual(["e1", "e2", "e3", "e4"]);
    expectBalanced(client.stats());
  });

  it("when the queue is full (pacing off), an error takes the place of the newest routine trace (queue_full)", async () => {
    standIn = await startStandIn({ traceRateLimit: false, defaultRateLimit: false });
    // Five items may be pending: traces, and scores waiting for their trace.
    const { client } = clientFor(standIn, { maxQueueSize: 5 });
    clients.push(client);
    const names = ["r1", "r2", "r3", "r4", "e1!", "r5", "r6", "e2!"];
    for (const name of names) {
      const t = client.startTrace(name);
      if (name.endsWith("!")) t.setStatus("ERROR");
      // Scores wait for their trace; those of a shed trace (queued, or shed on arrival) are dropped with it.
      if (name === "r4" || name === "r5") client.score(t.id, "quality", 1);
      t.end();
      client.stats();
    }
    expect(client.stats().droppedByReason).toEqual({ queue_full: 3, trace_not_delivered: 2 });
    expect(await client.flush({ timeoutMs: 5000 })).toMatchObject({ timedOut: false, pending: 0 });
    expect(
      standIn
        .traces()
        .map((t) => t.name)
        .sort(),
    ).toEqual(["e1!", "e2!", "r1", "r2", "r3"]);
  });
});
