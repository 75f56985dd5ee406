import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStandIn, type StandIn } from "../src/server.js";
import { authHeaders, call, span, T0, T1, trace } from "./helpers.js";

let s: StandIn;
beforeAll(async () => {
  s = await startStandIn();
});
afterAll(() => s.close());
beforeEach(() => s.reset());

describe("POST /traces upsert (§2.6)", () => {
  it("defaults: status COMPLETED, span kind OTHER / status UNSET, metadata {}, tags []", async () => {
    const t = trace({ spans: [span()] });
    const r = await call(s, "POST", "/traces", t);
    expect(r.status).toBe(202);
    expect(r.json).toEqual({ trace_id: t.trace_id, task_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const [stored] = await s.waitForTraces(1);
    expect(stored).toMatchObject({ status: "COMPLETED", metadata: {}, tags: [], input: null, session_id: null });
    expect(stored.spans[0]).toMatchObject({ kind: "OTHER", status: "UNSET", metadata: {}, token_usage: null });
  });

  it("generates a trace_id when omitted", async () => {
    const r = await call(s, "POST", "/traces", { name: "no-id", started_at: T0 });
    expect(r.json.trace_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    expect(s.getTrace(r.json.trace_id)?.name).toBe("no-id");
  });

  it("re-post: overwrite / null / coalesce / merge / union rules, trace and spans", async () => {
    const sid = randomUUID();
    const first = trace({
      status: "RUNNING",
      input: { q: 1 },
      output: { a: 1 },
      ended_at: T1,
      session_id: "sess",
      user_id: "u1",
      environment: "prod",
      release: "1.0",
      metadata: { a: 1, nested: { x: 1 } },
      tags: ["b", "a"],
      spans: [
        span({
          span_id: sid,
          kind: "LLM",
          status: "OK",
          input: { m: 1 },
          output: "o",
          model: "gpt",
          error: "boom",
          ended_at: T1,
          completion_start_time: T0,
          token_usage: { prompt_tokens: 3, completion_tokens: 4 },
          model_parameters: { temperature: 0 },
          cost: { total: 0.25 },
          metadata: { k: 1 },
        }),
      ],
    });
    await call(s, "POST", "/traces", first);
    expect(s.getTrace(String(first.trace_id))).toMatchObject({ tags: ["b", "a"], total_tokens: 7, total_cost: 0.25 });

    const second = {
      trace_id: first.trace_id,
      name: "renamed",
      started_at: "2026-03-01T09:00:00Z",
      session_id: null,
      metadata: { b: 2, nested: { y: 2 } },
      tags: ["c", "a"],
      spans: [{ span_id: sid, name: "span2", started_at: T0, metadata: { j: 2 } }],
    };
    expect((await call(s, "POST", "/traces", second)).status).toBe(202);
    const t = s.getTrace(String(first.trace_id))!;
    expect(t).toMatchObject({
      name: "renamed",
      started_at: "2026-03-01T09:00:00+00:00",
      status: "COMPLETED",
      input: null,
      output: null,
      ended_at: "2026-03-01T10:00:02.500000+00:00",
      session_id: "sess",
      user_id: "u1",
      environment: "prod",
      release: "1.0",
      metadata: { a: 1, b: 2, nested: { y: 2 } },
      tags: ["a", "b", "c"],
      total_tokens: 0,
      total_cost: 0,
    });
    expect(t.spans).toHaveLength(1);
    expect(t.spans[0]).toMatchObject({
      name: "span2",
      kind: "OTHER",
      status: "UNSET",
      input: null,
      output: null,
      token_usage: null,
      model_parameters: null,
      cost: null,
      model: "gpt",
      error: "boom",
      ended_at: "2026-03-01T10:00:02.500000+00:00",
      completion_start_time: "2026-03-01T10:00:00+00:00",
      metadata: { k: 1, j: 2 },
    });
  });

  it("spans not listed in a re-post are kept; a reused span_id stays in its original trace", async () => {
    const a = trace({ spans: [span({ name: "keep" }), span({ name: "shared" })] });
    await call(s, "POST", "/traces", a);
    const shared = (a.spans as Array<Record<string, unknown>>)[1];
    await call(s, "POST", "/traces", trace({ trace_id: a.trace_id, spans: [] }));
    expect(
      s
        .getTrace(String(a.trace_id))!
        .spans.map((x) => x.name)
        .sort(),
    ).toEqual(["keep", "shared"]);

    const parent = randomUUID();
    const b = trace({ spans: [{ ...shared, name: "moved?", parent_span_id: parent }] });
    await call(s, "POST", "/traces", b);
    expect(s.getTrace(String(b.trace_id))!.spans).toEqual([]);
    const moved = s.getTrace(String(a.trace_id))!.spans.find((x) => x.span_id === shared.span_id)!;
    expect(moved).toMatchObject({ name: "moved?", trace_id: a.trace_id, parent_span_id: null });
  });

  it("a trace_id reused from another project overwrites the original project's trace", async () => {
    const t = trace({ name: "original" });
    await call(s, "POST", "/traces", t);
    const other = authHeaders(s, { "x-project-name": "other" });
    expect((await call(s, "POST", "/traces", { ...t, name: "overwritten" }, other)).status).toBe(202);
    expect((await call(s, "GET", `/traces/${t.trace_id}`, undefined, other)).status).toBe(404);
    const own = await call(s, "GET", `/traces/${t.trace_id}`);
    expect(own.json.name).toBe("overwritten");
  });

  it("POST /traces/{id}/spans upserts synchronously and returns the ids (generated when omitted)", async () => {
    const t = trace();
    await call(s, "POST", "/traces", t);
    const given = span({ parent_span_id: randomUUID() });
    const r = await call(s, "POST", `/traces/${t.trace_id}/spans`, [given, { name: "gen", started_at: T1 }]);
    expect(r.status).toBe(201);
    expect(r.json.span_ids[0]).toBe(given.span_id);
    expect(r.json.span_ids[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.getTrace(String(t.trace_id))!.spans.map((x) => x.span_id)).toEqual(r.json.span_ids);
    const missing = randomUUID();
    expect((await call(s, "POST", `/traces/${missing}/spans`, [span()])).json).toEqual({
      detail: `Trace ${missing} not found.`,
    });
  });

  it("GET /traces/{id} returns TraceResponse with ordered spans and computed latency", async () => {
    const t = trace({
      ended_at: T1,
      spans: [
        span({ name: "later", started_at: T1 }),
        span({ name: "first", started_at: T0, ended_at: T1, completion_start_time: "2026-03-01T10:00:00.250Z" }),
      ],
    });
    await call(s, "POST", "/traces", t);
    const r = await call(s, "GET", `/traces/${t.trace_id}`);
    expect(r.status).toBe(200);
    expect(r.json.spans.map((x: { name: string }) => x.name)).toEqual(["first", "later"]);
    expect(r.json.spans[0]).toMatchObject({ latency_ms: 2500, time_to_first_token_ms: 250 });
    expect(r.json.spans[1]).toMatchObject({ latency_ms: null });
    expect(r.json).toEqual(s.getTrace(String(t.trace_id)));
  });

  it("GET /traces lists with filters; GET /sessions/{id} summarises", async () => {
    await call(
      s,
      "POST",
      "/traces",
      trace({ name: "Alpha", session_id: "s1", user_id: "u", tags: ["x"], ended_at: T1 }),
    );
    await call(
      s,
      "POST",
      "/traces",
      trace({ name: "beta", session_id: "s1", status: "ERROR", started_at: "2026-03-01T11:00:00Z" }),
    );
    await call(s, "POST", "/traces", trace({ name: "gamma", tags: ["y"] }));
    const list = await call(s, "GET", "/traces?name=ALP&limit=10");
    expect(list.json).toMatchObject({
      total: 1,
      limit: 10,
      offset: 0,
      items: [{ name: "Alpha", latency_ms: 2500, span_count: 0 }],
    });
    expect(
      (await call(s, "GET", "/traces?tags=x&tags=y&sort_by=name&sort_order=asc")).json.items.map(
        (i: { name: string }) => i.name,
      ),
    ).toEqual(["Alpha", "gamma"]);
    const session = await call(s, "GET", "/sessions/s1");
    expect(session.json).toMatchObject({
      session_id: "s1",
      trace_count: 2,
      has_error: true,
      user_id: "u",
      last_trace_at: "2026-03-01T10:00:02.500000+00:00",
      first_trace_at: "2026-03-01T10:00:00+00:00",
    });
    expect(session.json.traces.map((x: { name: string }) => x.name)).toEqual(["Alpha", "beta"]);
    expect((await call(s, "GET", "/sessions/none")).json).toEqual({ detail: "Session 'none' not found." });
  });
});
