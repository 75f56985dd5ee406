import { afterEach, describe, expect, it, vi } from "vitest";
import { startStandIn, type StandIn } from "../src/server.js";
import { authHeaders, call, span, trace } from "./helpers.js";

let s: StandIn | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await s?.close();
  s = undefined;
});

describe("asynchronous persistence (§2.1, §8.4)", () => {
  it("202 then 404 on spans/PATCH/GET/scores until the worker has run", async () => {
    s = await startStandIn({ persistDelayMs: Number.POSITIVE_INFINITY });
    const t = trace();
    expect((await call(s, "POST", "/traces", t)).status).toBe(202);
    const id = String(t.trace_id);
    const notFound = { detail: `Trace ${id} not found.` };
    expect((await call(s, "POST", `/traces/${id}/spans`, [span()])).json).toEqual(notFound);
    expect((await call(s, "PATCH", `/traces/${id}`, { name: "x" })).json).toEqual(notFound);
    expect((await call(s, "GET", `/traces/${id}`)).json).toEqual(notFound);
    expect((await call(s, "POST", "/evaluations/trace-scores", { trace_id: id, name: "q", value: "1" })).status).toBe(
      500,
    );
    expect(s.traces()).toEqual([]);
    expect(s.persistQueued()).toBe(1);
    const [persisted] = await s.waitForTraces(1);
    expect(persisted.trace_id).toBe(id);
    expect((await call(s, "POST", `/traces/${id}/spans`, [span()])).status).toBe(201);
  });

  it("with persistDelayMs 0 the trace is visible as soon as the 202 arrives", async () => {
    s = await startStandIn();
    const t = trace();
    await call(s, "POST", "/traces", t);
    expect((await call(s, "GET", `/traces/${t.trace_id}`)).status).toBe(200);
  });

  it('a trace containing "\\u0000" anywhere is accepted with 202 and silently dropped', async () => {
    s = await startStandIn();
    const bad = trace({ spans: [span({ metadata: { "k\u0000": 1 } })] });
    const r = await call(s, "POST", "/traces", bad);
    expect(r.status).toBe(202);
    expect(s.getTrace(String(bad.trace_id))).toBeUndefined();
    expect(s.droppedTraces().map((x) => x.body)).toEqual([bad]);
    expect(s.schemaErrors()[0].errors[0].field).toBe("spans -> 0 -> metadata -> k\u0000");
    await expect(s.waitForTraces(1, { timeoutMs: 50 })).rejects.toThrow(/DROPPED \(contains \\u0000\)/);
  });

  it("an existing trace survives a dropped NUL re-post unchanged", async () => {
    s = await startStandIn();
    const t = trace({ name: "ok" });
    await call(s, "POST", "/traces", t);
    await call(s, "POST", "/traces", { ...t, name: "nul\u0000" });
    expect(s.getTrace(String(t.trace_id))!.name).toBe("ok");
  });
});

describe("lone UTF-16 surrogates (§9, as the real backend answers)", () => {
  const UNICODE = "Input should be a valid string, unable to parse raw data as a unicode string";

  it.each([
    ["trace name", { name: "cut \ud83d" }, "name"],
    ["user_id", { user_id: "\udc00" }, "user_id"],
    ["session_id", { session_id: "a\ud800b" }, "session_id"],
    ["a tag", { tags: ["ok", "\ud800"] }, "tags -> 1"],
    ["environment", { environment: "\udfff" }, "environment"],
    ["a metadata key", { metadata: { "k\ud800": 1 } }, "metadata -> k\ud800 -> [key]"],
    ["a span name", { spans: [span({ name: "\ud800" })] }, "spans -> 0 -> name"],
    ["a span model", { spans: [span({ model: "gpt\udc00" })] }, "spans -> 0 -> model"],
    ["a span error", { spans: [span({ error: "\ud800" })] }, "spans -> 0 -> error"],
    ["a cost key", { spans: [span({ cost: { "\ud800": 1 } })] }, "spans -> 0 -> cost -> \ud800 -> [key]"],
  ])("in a typed string field (%s): 422 and nothing stored", async (_what, fields, field) => {
    s = await startStandIn();
    const t = trace(fields);
    const r = await call(s, "POST", "/traces", t);
    expect(r.status).toBe(422);
    expect(r.json).toEqual({ detail: "Validation error", errors: [{ field, message: UNICODE }] });
    expect(s.traces()).toEqual([]);
  });

  it.each([
    ["input", { input: { text: "half an emoji: \ud83d" } }],
    ["output", { output: "\udc00" }],
    ["a metadata value", { metadata: { k: ["\ud800"] } }],
    ["a nested key in input", { input: { "\ud800": 1 } }],
    ["a span input", { spans: [span({ input: "\ud800" })] }],
  ])("in a free-form value (%s): 202, then the worker drops the trace", async (_what, fields) => {
    s = await startStandIn();
    const t = trace(fields);
    expect((await call(s, "POST", "/traces", t)).status).toBe(202);
    expect(s.getTrace(String(t.trace_id))).toBeUndefined();
    expect(s.droppedTraces().map((x) => x.dropped)).toEqual(["lone-surrogate"]);
    expect(s.schemaErrors()[0]!.errors[0]!.message).toContain("lone UTF-16 surrogate");
    await expect(s.waitForTraces(1, { timeoutMs: 50 })).rejects.toThrow(/DROPPED \(contains a lone surrogate\)/);
  });

  it("emoji, ZWJ sequences and flags (well-formed pairs) are stored intact", async () => {
    s = await startStandIn();
    const text = "👩‍👩‍👧 🇫🇷 😀";
    const t = trace({ name: text, input: text, metadata: { [text]: text }, spans: [span({ name: text })] });
    expect((await call(s, "POST", "/traces", t)).status).toBe(202);
    const stored = s.getTrace(String(t.trace_id))!;
    expect([stored.name, stored.input, stored.metadata, stored.spans[0]!.name]).toEqual([
      text,
      text,
      { [text]: text },
      text,
    ]);
    expect(s.schemaErrors()).toEqual([]);
  });

  it("on the spans route, in a free-form value: the worker-less insert fails with a 500", async () => {
    s = await startStandIn();
    const t = trace();
    await call(s, "POST", "/traces", t);
    expect((await call(s, "POST", `/traces/${t.trace_id}/spans`, [span({ output: "\ud800" })])).status).toBe(500);
  });
});

describe("rate limit and quota (§1, §8.6)", () => {
  it("counts valid POST /traces per credential; 429 {error} without Retry-After; invalid bodies still 422", async () => {
    s = await startStandIn({ traceRateLimit: { limit: 3, windowMs: 60_000 }, apiKeys: ["k1", "k2"] });
    for (let i = 0; i < 2; i++) expect((await call(s, "POST", "/traces", { name: "" })).status).toBe(422);
    for (let i = 0; i < 3; i++) {
      const headers = authHeaders(s, { "x-project-name": `p${i}` }); // shared across projects
      expect((await call(s, "POST", "/traces", trace(), headers)).status).toBe(202);
    }
    const limited = await call(s, "POST", "/traces", trace());
    expect([limited.status, limited.json]).toEqual([429, { error: "Rate limit exceeded: 3 per 1 minute" }]);
    expect(limited.headers.get("retry-after")).toBeNull();
    const names: string[] = [];
    limited.headers.forEach((_value, name) => names.push(name));
    expect(names.filter((name) => name.startsWith("x-ratelimit"))).toEqual([]);
    expect((await call(s, "POST", "/traces", { name: "" })).status).toBe(422);
    expect((await call(s, "POST", "/traces", trace(), authHeaders(s, { "x-api-key": "k2" }))).status).toBe(202);
  });

  it("the default limit text is '100 per 1 minute' and the window is fixed", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-03-01T10:00:00Z"));
    s = await startStandIn();
    for (let i = 0; i < 100; i++) expect((await call(s, "POST", "/traces", trace())).status).toBe(202);
    const r = await call(s, "POST", "/traces", trace());
    expect([r.status, r.json]).toEqual([429, { error: "Rate limit exceeded: 100 per 1 minute" }]);
    vi.setSystemTime(new Date("2026-03-01T10:01:00Z"));
    expect((await call(s, "POST", "/traces", trace())).status).toBe(202);
  });

  it("a project created by a rate-limited request is rolled back", async () => {
    s = await startStandIn({ traceRateLimit: { limit: 1, windowMs: 60_000 } });
    await call(s, "POST", "/traces", trace());
    expect((await call(s, "POST", "/traces", trace(), authHeaders(s, { "x-project-name": "late" }))).status).toBe(429);
    expect(s.projects().map((p) => p.name)).toEqual(["test-project"]);
  });

  it("default per-path limit on other routes (each /traces/{id} counts separately)", async () => {
    s = await startStandIn({ defaultRateLimit: { limit: 2, windowMs: 60_000 } });
    const t = trace();
    await call(s, "POST", "/traces", t);
    expect((await call(s, "GET", `/traces/${t.trace_id}`)).status).toBe(200);
    expect((await call(s, "PATCH", `/traces/${t.trace_id}`, {})).status).toBe(200);
    expect((await call(s, "GET", `/traces/${t.trace_id}`)).json).toEqual({
      error: "Rate limit exceeded: 2 per 1 minute",
    });
    expect((await call(s, "GET", `/traces/${trace().trace_id}`)).status).toBe(404);
  });

  it("HOBBY quota counts every POST /traces, re-posts included; 429 with detail", async () => {
    s = await startStandIn({ quota: { limit: 2 } });
    const t = trace();
    expect((await call(s, "POST", "/traces", t)).status).toBe(202);
    expect((await call(s, "POST", "/traces", t)).status).toBe(202);
    const r = await call(s, "POST", "/traces", t);
    expect([r.status, r.json]).toEqual([
      429,
      { detail: "You've reached the traces limit (2) for your HOBBY plan. Please upgrade to continue." },
    ]);
  });

  it("quota without an active subscription", async () => {
    s = await startStandIn({ quota: { subscription: "none" } });
    expect((await call(s, "POST", "/traces", trace())).json).toEqual({
      detail: "No active subscription found for this organization.",
    });
  });
});
