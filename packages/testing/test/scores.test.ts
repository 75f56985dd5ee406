import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStandIn, type StandIn } from "../src/server.js";
import { call, trace } from "./helpers.js";

let s: StandIn;
let traceId: string;
beforeAll(async () => {
  s = await startStandIn();
});
afterAll(() => s.close());
beforeEach(async () => {
  s.reset();
  const t = trace();
  traceId = String(t.trace_id);
  await call(s, "POST", "/traces", t);
});

const post = (body: Record<string, unknown>) =>
  call(s, "POST", "/evaluations/trace-scores", { trace_id: traceId, name: "q", ...body });

describe("scores (§2.4)", () => {
  it("201 TraceScoreResponse; source defaults to ANNOTATION; data_type to NUMERIC", async () => {
    const r = await post({ value: "0.5", reason: "ok", metadata: { m: 1 } });
    expect(r.status).toBe(201);
    expect(r.json).toEqual({
      id: expect.any(String),
      trace_id: traceId,
      name: "q",
      value: "0.5",
      status: "SUCCESS",
      source: "ANNOTATION",
      created_at: expect.stringMatching(/\+00:00$/),
      project_id: s.projects()[0].id,
      data_type: "NUMERIC",
      eval_run_id: null,
      author_user_id: null,
      reason: "ok",
      environment: null,
      config_id: null,
      metadata: { m: 1 },
      updated_at: expect.any(String),
    });
    expect(s.scores()).toEqual([r.json]);
  });

  it("value rules: NUMERIC in [0, 1]; BOOLEAN true/false stored as sent; CATEGORICAL free", async () => {
    for (const value of ["1.5", "-0.1", "abc", "nan"]) {
      const r = await post({ value });
      expect(r.status).toBe(422);
      expect(r.json.errors).toHaveLength(1);
      expect(r.json.errors[0].field).toBe("");
      expect(r.json.errors[0].message).toMatch(/^Value error, NUMERIC/);
    }
    expect((await post({ value: "1.5" })).json.errors[0].message).toBe(
      "Value error, NUMERIC score must be in [0.0, 1.0]",
    );
    expect((await post({ value: "1" })).status).toBe(201);
    expect((await post({ value: "True", data_type: "BOOLEAN", source: "PROGRAMMATIC" })).json).toMatchObject({
      value: "True",
      source: "PROGRAMMATIC",
    });
    expect((await post({ value: "yes", data_type: "BOOLEAN" })).status).toBe(422);
    expect((await post({ value: "PASS", data_type: "CATEGORICAL" })).status).toBe(201);
  });

  it("schema errors: value must be a string, HUMAN is not a source", async () => {
    const r = await post({ value: 0.5, source: "HUMAN" });
    expect(r.json.errors).toEqual([
      { field: "value", message: "Input should be a valid string" },
      { field: "source", message: "Input should be 'AUTOMATED', 'ANNOTATION' or 'PROGRAMMATIC'" },
    ]);
  });

  it("500 for an unknown trace and for names or values over 255 characters", async () => {
    const unknown = await call(s, "POST", "/evaluations/trace-scores", {
      trace_id: randomUUID(),
      name: "q",
      value: "1",
    });
    expect([unknown.status, unknown.text]).toEqual([500, "Internal Server Error"]);
    expect((await post({ name: "n".repeat(256), value: "1" })).status).toBe(500);
    expect((await post({ value: "v".repeat(256), data_type: "CATEGORICAL" })).status).toBe(500);
    expect(s.scores()).toEqual([]);
  });

  it("scores are not upserted; GET returns the latest per name", async () => {
    await post({ value: "0.1" });
    await post({ value: "0.9" });
    await post({ name: "other", value: "x", data_type: "CATEGORICAL" });
    expect(s.scores()).toHaveLength(3);
    const r = await call(s, "GET", `/evaluations/trace-scores/${traceId}`);
    expect(r.json.map((x: { name: string; value: string }) => [x.name, x.value])).toEqual([
      ["q", "0.9"],
      ["other", "x"],
    ]);
  });
});
