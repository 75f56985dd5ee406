import { afterEach, describe, expect, it } from "vitest";
import { buildScorePayload } from "../src/scores/score-payload.js";
import { clientFor, startStandIn, type StandIn } from "./helpers.js";

const ID = "0b6d8b4e-8a5e-4d1e-9a0c-1b2c3d4e5f60";
let standIn: StandIn;
afterEach(async () => {
  await standIn?.close();
});

describe("score values", () => {
  it.each([
    [{ value: 0.9 }, { value: "0.9", data_type: "NUMERIC" }],
    [{ value: 1 }, { value: "1", data_type: "NUMERIC" }],
    [
      { value: "0.5", dataType: "NUMERIC" },
      { value: "0.5", data_type: "NUMERIC" },
    ],
    [{ value: true }, { value: "true", data_type: "BOOLEAN" }],
    [
      { value: "True", dataType: "BOOLEAN" },
      { value: "true", data_type: "BOOLEAN" },
    ],
    [
      { value: "good", dataType: "categorical" },
      { value: "good", data_type: "CATEGORICAL" },
    ],
    [{ value: "good" }, { value: "good", data_type: "CATEGORICAL" }],
  ])("accepts %j", (opts, expected) => {
    const { body, error } = buildScorePayload({ traceId: ID, name: "q", ...opts } as never, 1000);
    expect(error).toBeUndefined();
    expect(body).toMatchObject({ ...expected, trace_id: ID, name: "q", source: "PROGRAMMATIC" });
  });
  it.each([
    [{ traceId: "not-a-uuid", value: 0.5 }, "must be a UUID"],
    [{ value: 1.5 }, "in [0, 1]"],
    [{ value: NaN }, "in [0, 1]"],
    [{ value: "maybe", dataType: "BOOLEAN" }, "true or false"],
    [{ value: 0.5, dataType: "PERCENT" }, "NUMERIC, BOOLEAN or CATEGORICAL"],
    [{ value: "x".repeat(256), dataType: "CATEGORICAL" }, "1-255"],
    [{ name: "", value: 0.5 }, "non-empty"],
  ])("rejects %j with a clear message", (opts, message) => {
    const { body, error } = buildScorePayload({ traceId: ID, name: "q", ...opts } as never, 1000);
    expect(body).toBeUndefined();
    expect(error).toContain(message);
  });
});

describe("score delivery", () => {
  it("a score for a trace just sent still arrives (waits for the trace, retries the backend's 500)", async () => {
    standIn = await startStandIn({ persistDelayMs: 150 });
    const { client } = clientFor(standIn);
    const t = client.startTrace("scored");
    t.end();
    expect(
      client.score({ traceId: t.id, name: "helpfulness", value: 0.8, reason: "grader", metadata: { by: "test" } }),
    ).toBe(true);
    const res = await client.flush({ timeoutMs: 15_000 });
    expect(res).toMatchObject({ ok: true, failed: 0 });
    const scores = standIn.scores();
    expect(scores).toHaveLength(1);
    expect(scores[0]).toMatchObject({
      trace_id: t.id,
      name: "helpfulness",
      value: "0.8",
      data_type: "NUMERIC",
      source: "PROGRAMMATIC",
      reason: "grader",
    });
    expect(standIn.requests.some((r) => r.path === "/evaluations/trace-scores" && r.status === 500)).toBe(true);
    expect(standIn.schemaErrors()).toEqual([]);
  });

  it("a score for a trace still open waits until the trace is delivered", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    const t = client.startTrace("open");
    client.score({ traceId: t.id, name: "ok", value: true });
    await client.flush({ timeoutMs: 50 });
    expect(standIn.requests.filter((r) => r.path === "/evaluations/trace-scores")).toHaveLength(0);
    t.end();
    await client.flush();
    expect(standIn.scores()).toHaveLength(1);
  });

  it("scores for a trace the backend rejects are dropped as trace_not_delivered, never sent", async () => {
    standIn = await startStandIn();
    standIn.faults.failNext(1, 422);
    const { client } = clientFor(standIn);
    const t = client.startTrace("rejected");
    client.score({ traceId: t.id, name: "a", value: 0.5 });
    client.score({ traceId: t.id, name: "b", value: true });
    expect(client.stats().pending).toBe(2); // parked: the trace is not delivered yet
    t.end();
    expect(await client.flush()).toMatchObject({ ok: false, failed: 1, dropped: 2, pending: 0 });
    expect(client.stats()).toMatchObject({
      accepted: 3,
      failed: 1,
      dropped: 2,
      pending: 0,
      pendingBytes: 0,
      failedByReason: { rejected: 1 },
      droppedByReason: { trace_not_delivered: 2 },
    });
    expect(standIn.requests.filter((r) => r.path === "/evaluations/trace-scores")).toHaveLength(0);
  });

  it("an invalid score returns false and sends nothing", async () => {
    standIn = await startStandIn();
    const { client, errors } = clientFor(standIn);
    expect(client.score({ traceId: ID, name: "x", value: 7 })).toBe(false);
    expect(errors[0]).toMatchObject({ kind: "validation" });
    expect(errors[0].message).toContain("in [0, 1]");
    await client.flush();
    expect(standIn.requests).toHaveLength(0);
  });
});
