import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStandIn, type StandIn } from "../src/server.js";
import { authHeaders, call, span, trace } from "./helpers.js";

let s: StandIn;
beforeAll(async () => {
  s = await startStandIn();
});
afterAll(() => s.close());
beforeEach(() => s.reset());

describe("schemaErrors()", () => {
  it("is [] for bodies that follow the OpenAPI document", async () => {
    const t = trace({
      status: "COMPLETED",
      ended_at: "2026-03-01T10:00:01.123+05:30",
      tags: ["a"],
      metadata: { x: 1 },
      spans: [span({ kind: "LLM", cost: { total: 0.1 }, token_usage: { prompt_tokens: 1 }, parent_span_id: null })],
    });
    await call(s, "POST", "/traces", t);
    await call(s, "PATCH", `/traces/${t.trace_id}`, { name: null, tags: ["b"] });
    await call(s, "POST", "/evaluations/trace-scores", {
      trace_id: t.trace_id,
      name: "q",
      value: "1",
      source: "PROGRAMMATIC",
    });
    await call(s, "GET", `/traces/${t.trace_id}`);
    expect(s.schemaErrors()).toEqual([]);
  });

  it("reports what the lenient server accepts but the spec does not, and undeclared fields", async () => {
    const t = trace({
      trace_id: randomUUID().replace(/-/g, ""),
      started_at: "2026-03-01 10:00:00",
      userId: "camelCase",
      spans: [span({ started_at: 1700000000, tokenUsage: {} })],
    });
    expect((await call(s, "POST", "/traces", t)).status).toBe(202);
    const [report] = s.schemaErrors();
    expect(report).toMatchObject({ seq: 1, method: "POST", path: "/traces" });
    expect(report.errors.map((e) => e.field).sort()).toEqual(
      ["spans -> 0 -> started_at", "spans -> 0 -> tokenUsage", "started_at", "trace_id", "userId"].sort(),
    );
  });

  it("covers rejected and fault-injected requests too, and non-JSON content types", async () => {
    s.faults.failNext(1, 503);
    await call(s, "POST", "/traces", { name: 1 });
    await call(s, "POST", "/traces", JSON.stringify(trace()), authHeaders(s, { "content-type": "text/plain" }));
    const reports = s.schemaErrors();
    expect(reports.map((r) => r.seq)).toEqual([1, 2]);
    expect(reports[0].errors).toContainEqual({ field: "name", message: "Input should be a valid string" });
    expect(reports[1].errors[0].message).toMatch(/Content-Type must be application\/json/);
  });
});
