import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStandIn, type StandIn } from "../src/server.js";
import { authHeaders, call, span, trace } from "./helpers.js";

let s: StandIn;
beforeAll(async () => {
  s = await startStandIn();
});
afterAll(() => s.close());
beforeEach(() => s.reset());

describe("validation (§2, §2.5, §4)", () => {
  it("lists every error at once with ' -> ' paths", async () => {
    const r = await call(s, "POST", "/traces", {
      trace_id: "not-a-uuid",
      name: "",
      status: "completed",
      metadata: null,
      tags: null,
      session_id: "x".repeat(256),
      spans: [span(), { name: "ok", started_at: "2026-03-01", kind: "llm", cost: { total: "abc" } }, {}],
    });
    expect(r.status).toBe(422);
    expect(r.json.detail).toBe("Validation error");
    const byField = Object.fromEntries(
      r.json.errors.map((e: { field: string; message: string }) => [e.field, e.message]),
    );
    expect(byField).toEqual({
      trace_id: expect.stringMatching(/^Input should be a valid UUID/),
      name: "String should have at least 1 character",
      status: "Input should be 'PENDING', 'RUNNING', 'COMPLETED' or 'ERROR'",
      metadata: "Input should be a valid dictionary",
      tags: "Input should be a valid list",
      session_id: "String should have at most 255 characters",
      started_at: "Field required",
      "spans -> 1 -> kind": "Input should be 'AGENT', 'TOOL', 'LLM', 'RETRIEVER', 'CHAIN', 'EMBEDDING' or 'OTHER'",
      "spans -> 1 -> cost -> total": "Input should be a valid number, unable to parse string as a number",
      "spans -> 2 -> name": "Field required",
      "spans -> 2 -> started_at": "Field required",
    });
    expect(s.traces()).toEqual([]);
  });

  it("name and model limits: 512 and 255 characters", async () => {
    expect(
      (await call(s, "POST", "/traces", trace({ name: "n".repeat(512), spans: [span({ model: "m".repeat(255) })] })))
        .status,
    ).toBe(202);
    const r = await call(
      s,
      "POST",
      "/traces",
      trace({ name: "n".repeat(513), spans: [span({ model: "m".repeat(256) })] }),
    );
    expect(r.json.errors).toEqual([
      { field: "name", message: "String should have at most 512 characters" },
      { field: "spans -> 0 -> model", message: "String should have at most 255 characters" },
    ]);
  });

  it("500 inline spans pass, 501 get 422", async () => {
    const spans = Array.from({ length: 501 }, (_, i) => span({ name: `s${i}` }));
    const r = await call(s, "POST", "/traces", trace({ spans }));
    expect(r.status).toBe(422);
    expect(r.json.errors).toEqual([
      { field: "spans", message: "List should have at most 500 items after validation, not 501" },
    ]);
    expect((await call(s, "POST", "/traces", trace({ spans: spans.slice(0, 500) }))).status).toBe(202);
  });

  it("the spans route takes a bare array of 1-500 items; array paths start with the index", async () => {
    const t = trace();
    await call(s, "POST", "/traces", t);
    const path = `/traces/${t.trace_id}/spans`;
    expect((await call(s, "POST", path, [])).json.errors).toEqual([
      { field: "", message: "List should have at least 1 item after validation, not 0" },
    ]);
    expect((await call(s, "POST", path, { spans: [] })).json.errors).toEqual([
      { field: "", message: "Input should be a valid list" },
    ]);
    expect((await call(s, "POST", path, [span(), { name: "x" }])).json.errors).toEqual([
      { field: "1 -> started_at", message: "Field required" },
    ]);
  });

  it("any JSON is accepted for input/output; unknown fields are ignored", async () => {
    const t = trace({
      input: "plain",
      output: [1, "two"],
      surprise: { x: 1 },
      spans: [span({ input: 3, also: true })],
    });
    expect((await call(s, "POST", "/traces", t)).status).toBe(202);
    const stored = s.getTrace(String(t.trace_id))!;
    expect(stored.input).toBe("plain");
    expect(stored.output).toEqual([1, "two"]);
    expect(stored).not.toHaveProperty("surprise");
    expect(stored.spans[0]).not.toHaveProperty("also");
  });

  it("trace_id in 32-hex form is accepted and canonicalised", async () => {
    const r = await call(s, "POST", "/traces", trace({ trace_id: "A1B2C3D4E5F67890ABCDEF1234567890" }));
    expect(r.status).toBe(202);
    expect(r.json.trace_id).toBe("a1b2c3d4-e5f6-7890-abcd-ef1234567890");
  });

  it("a text/plain or content-type-less body is 'not a dictionary'; gzip is a 400", async () => {
    const body = JSON.stringify(trace());
    for (const ct of ["text/plain", undefined]) {
      const headers = authHeaders(s);
      if (ct) headers["content-type"] = ct;
      else delete headers["content-type"];
      const r = await call(s, "POST", "/traces", body, headers);
      expect(r.status).toBe(422);
      expect(r.json.errors).toEqual([
        { field: "", message: "Input should be a valid dictionary or object to extract fields from" },
      ]);
    }
    const gz = await call(s, "POST", "/traces", body, authHeaders(s, { "content-encoding": "gzip" }));
    expect([gz.status, gz.json]).toEqual([400, { detail: "There was an error parsing the body" }]);
  });

  it("path and query parameters are validated", async () => {
    expect((await call(s, "GET", "/traces/nope")).json).toEqual({
      detail: "Validation error",
      errors: [{ field: "path -> trace_id", message: expect.stringMatching(/^Input should be a valid UUID/) }],
    });
    expect((await call(s, "GET", "/traces?limit=0&sort_order=up")).json.errors).toEqual([
      { field: "query -> limit", message: "Input should be greater than or equal to 1" },
      { field: "query -> sort_order", message: "Input should be 'asc' or 'desc'" },
    ]);
  });
});

describe("routes (§8.1)", () => {
  it("404 for unknown paths (no /v1 prefix), 405 for other methods, 307 for a trailing slash", async () => {
    expect(await call(s, "POST", "/v1/traces", trace()).then((r) => [r.status, r.json])).toEqual([
      404,
      { detail: "Not Found" },
    ]);
    const put = await call(s, "PUT", "/traces", trace());
    expect([put.status, put.json]).toEqual([405, { detail: "Method Not Allowed" }]);
    expect(put.headers.get("allow")).toContain("POST");
    const slash = await call(s, "POST", "/traces/?x=1", trace());
    expect(slash.status).toBe(307);
    expect(slash.headers.get("location")).toBe(`${s.url}/traces?x=1`);
    expect((await call(s, "POST", "/evaluations/session-scores", {})).status).toBe(405);
  });

  it("routes of the real API that the stand-in does not implement answer 501", async () => {
    const r = await call(s, "GET", "/traces/analytics");
    expect(r.status).toBe(501);
  });
});
