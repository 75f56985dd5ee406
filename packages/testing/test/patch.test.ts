import { randomUUID } from "node:crypto";
import { request as httpRequest, Agent } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStandIn, type StandIn } from "../src/server.js";
import { authHeaders, call, span, T1, trace } from "./helpers.js";

let s: StandIn;
beforeAll(async () => {
  s = await startStandIn();
});
afterAll(() => s.close());
beforeEach(() => s.reset());

async function seed() {
  const sp = span({ kind: "LLM", status: "OK", model: "gpt", input: "in", metadata: { a: 1 } });
  const t = trace({
    input: "in",
    session_id: "sess",
    user_id: "u",
    tags: ["a", "b"],
    metadata: { a: 1, n: { x: 1 } },
    spans: [sp],
  });
  await call(s, "POST", "/traces", t);
  return { t, sp };
}

describe("PATCH (§2.3)", () => {
  it("trace: only present fields apply; null clears nullable fields, is ignored for name/status/tags", async () => {
    const { t } = await seed();
    const r = await call(s, "PATCH", `/traces/${t.trace_id}`, {
      input: null,
      session_id: null,
      ended_at: T1,
      name: null,
      status: null,
      tags: null,
      metadata: { b: 2, n: { y: 1 } },
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      name: "trace",
      status: "COMPLETED",
      tags: ["a", "b"],
      input: null,
      session_id: null,
      user_id: "u",
      ended_at: "2026-03-01T10:00:02.500000+00:00",
      metadata: { a: 1, b: 2, n: { y: 1 } },
    });
    expect(r.json.spans).toHaveLength(1);
    const again = await call(s, "PATCH", `/traces/${t.trace_id}`, { tags: ["z"], metadata: null, status: "ERROR" });
    expect(again.json).toMatchObject({ tags: ["z"], metadata: { a: 1, b: 2, n: { y: 1 } }, status: "ERROR" });
  });

  it("span: null ignored for name/kind/status, clears others; metadata merged", async () => {
    const { t, sp } = await seed();
    const r = await call(s, "PATCH", `/traces/${t.trace_id}/spans/${sp.span_id}`, {
      kind: null,
      status: null,
      name: null,
      model: null,
      input: null,
      output: { done: true },
      metadata: { b: 2 },
      token_usage: { prompt_tokens: 1, completion_tokens: 1 },
      cost: { total: 1 },
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      name: "span",
      kind: "LLM",
      status: "OK",
      model: null,
      input: null,
      output: { done: true },
      metadata: { a: 1, b: 2 },
    });
    expect(s.getTrace(String(t.trace_id))).toMatchObject({ total_tokens: 2, total_cost: 1 });
  });

  it("404s name the trace or the span", async () => {
    const { t } = await seed();
    const tid = randomUUID();
    const sid = randomUUID();
    expect((await call(s, "PATCH", `/traces/${tid}`, {})).json).toEqual({ detail: `Trace ${tid} not found.` });
    expect((await call(s, "PATCH", `/traces/${t.trace_id}/spans/${sid}`, {})).json).toEqual({
      detail: `Span ${sid} not found on trace ${t.trace_id}.`,
    });
  });

  it('{"name": ""} passes validation but answers a plain 500 and changes nothing', async () => {
    const { t, sp } = await seed();
    for (const path of [`/traces/${t.trace_id}`, `/traces/${t.trace_id}/spans/${sp.span_id}`]) {
      const r = await call(s, "PATCH", path, { name: "", user_id: "changed" });
      expect([r.status, r.text]).toEqual([500, "Internal Server Error"]);
    }
    expect(s.getTrace(String(t.trace_id))).toMatchObject({ name: "trace", user_id: "u" });
    expect(s.getTrace(String(t.trace_id))!.spans[0].name).toBe("span");
  });

  it("after a 500 the next request on the same keep-alive connection is reset", async () => {
    const { t } = await seed();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (body: unknown) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          `${s.url}/traces/${t.trace_id}`,
          { method: "PATCH", agent, headers: authHeaders(s) },
          (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          },
        );
        req.on("error", reject);
        req.end(JSON.stringify(body));
      });
    try {
      expect(await send({ name: "" })).toBe(500);
      await expect(send({ name: "fine" })).rejects.toThrow(/socket hang up|ECONNRESET/);
      expect(await send({ name: "fine" })).toBe(200); // a fresh connection works
      expect(s.requests.at(-2)).toMatchObject({ status: 0, fault: expect.stringContaining("connection reset") });
    } finally {
      agent.destroy();
    }
  });
});
