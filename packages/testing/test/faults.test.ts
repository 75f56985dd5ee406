import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStandIn, type StandIn } from "../src/server.js";
import { call, trace } from "./helpers.js";

let s: StandIn;
beforeAll(async () => {
  s = await startStandIn();
});
afterAll(() => s.close());
beforeEach(() => s.reset());

describe("fault injection", () => {
  it("failNext(n, status) fails exactly the next n matching requests, before processing", async () => {
    s.faults.failNext(2, 503, { method: "POST", path: "/traces" });
    expect((await call(s, "GET", "/traces")).status).toBe(200); // not matching
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(s, "POST", "/traces", trace())).status);
    expect(statuses).toEqual([503, 503, 202]);
    expect(s.traces()).toHaveLength(1);
    expect(s.requests.filter((r) => r.fault).map((r) => r.fault)).toEqual(["injected 503", "injected 503"]);
  });

  it("default bodies: 429 like the limiter, 500 plain text", async () => {
    s.faults.failNext(1, 429);
    const limited = await call(s, "POST", "/traces", trace());
    expect([limited.status, limited.json, limited.headers.get("retry-after")]).toEqual([
      429,
      { error: "Rate limit exceeded: 100 per 1 minute" },
      null,
    ]);
    s.faults.failNext(1, 500, { path: /^\/traces/ });
    const failed = await call(s, "POST", "/traces", trace());
    expect([failed.status, failed.text]).toEqual([500, "Internal Server Error"]);
  });

  it("afterProcessing: the trace is stored but the client sees the failure (a lost response)", async () => {
    s.faults.failNext(1, 502, { afterProcessing: true });
    const t = trace();
    expect((await call(s, "POST", "/traces", t)).status).toBe(502);
    expect(s.getTrace(String(t.trace_id))).toBeDefined();
  });

  it("failWhile fails everything until stopped", async () => {
    const stop = s.faults.failWhile(503);
    expect((await call(s, "POST", "/traces", trace())).status).toBe(503);
    expect((await call(s, "POST", "/traces", trace())).status).toBe(503);
    stop();
    expect((await call(s, "POST", "/traces", trace())).status).toBe(202);
  });

  it('"reset" destroys the connection without an answer', async () => {
    s.faults.failNext(1, "reset");
    await expect(
      fetch(`${s.url}/traces`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } }),
    ).rejects.toThrow(/fetch failed/);
    expect(s.requests[0]).toMatchObject({ status: 0, fault: "injected reset" });
  });

  it("hang accepts requests and answers them only when turned off", async () => {
    s.faults.hang(true, { path: "/traces" });
    const t = trace();
    const pending = call(s, "POST", "/traces", t);
    const [seen] = await s.waitForRequests(1, { pending: true });
    expect(seen).toMatchObject({ fault: "hang", body: t });
    expect(seen.status).toBeUndefined();
    expect(s.faults.hangingCount).toBe(1);
    expect(s.traces()).toEqual([]);
    s.faults.hang(false);
    expect((await pending).status).toBe(202);
    expect(s.traces()).toHaveLength(1);
  });

  it("close() drops hanging requests", async () => {
    const other = await startStandIn();
    other.faults.hang();
    const pending = fetch(`${other.url}/traces`, { method: "POST", body: "{}" });
    await other.waitForRequests(1, { pending: true });
    await other.close();
    await expect(pending).rejects.toThrow();
  });

  it("slow delays matching responses", async () => {
    s.faults.slow(150, { method: "POST" });
    const started = performance.now();
    expect((await call(s, "POST", "/traces", trace())).status).toBe(202);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    const quick = performance.now();
    await call(s, "GET", "/traces");
    expect(performance.now() - quick).toBeLessThan(140);
  });
});

describe("waiting", () => {
  it("waitForTraces resolves on the persist event, with a filter", async () => {
    const slow = await startStandIn({ persistDelayMs: 50 });
    try {
      const waiting = slow.waitForTraces(2, { filter: (t) => t.name.startsWith("keep") });
      await call(slow, "POST", "/traces", trace({ name: "keep-1" }));
      await call(slow, "POST", "/traces", trace({ name: "other" }));
      await call(slow, "POST", "/traces", trace({ name: "keep-2" }));
      expect((await waiting).map((t) => t.name)).toEqual(["keep-1", "keep-2"]);
    } finally {
      await slow.close();
    }
  });

  it("waitForTraces times out with a message listing what was received", async () => {
    await call(s, "POST", "/traces", { name: "" });
    await call(s, "POST", "/traces", trace({ name: "only-one" }));
    const error = await s.waitForTraces(2, { timeoutMs: 30 }).catch((e: Error) => e);
    expect(String(error)).toMatch(/waitForTraces\(2\) timed out after 30 ms: 1 matching/);
    expect(String(error)).toContain('"only-one"');
    expect(String(error)).toMatch(/#1 POST \/traces -> 422 .*String should have at least 1 character/);
  });

  it("waitForRequests with a predicate and a count", async () => {
    const waiting = s.waitForRequests((r) => r.method === "GET", { count: 2 });
    await call(s, "GET", "/traces");
    await call(s, "POST", "/traces", trace());
    await call(s, "GET", "/traces");
    expect((await waiting).map((r) => r.seq)).toEqual([1, 3]);
  });
});
