/** Span times nest: a child never starts before its parent, nor ends after it, whatever times it is given. */
import { toMicros } from "@pandaprobe/testing";
import { afterEach, expect, it } from "vitest";
import { nowMs } from "../src/integration/index.js";
import { clientFor, startStandIn, type StandIn } from "./helpers.js";

let standIn: StandIn;
afterEach(async () => {
  await standIn?.close();
});

it("a child's times are moved into its parent's; a parent never ends before its ended children", async () => {
  standIn = await startStandIn();
  const { client } = clientFor(standIn);
  const t0 = nowMs();
  const trace = client.startTrace("times", { startTime: t0 - 10 });
  const parent = trace.startSpan("parent", { startTime: t0 });
  // Started 0.08 ms before its parent (another clock, or a time taken before the parent was made).
  const early = parent.startSpan("early", { startTime: t0 - 0.08 });
  early.end({ endTime: t0 + 5.9 });
  // The parent is told it ended on a whole millisecond, before its child's end.
  parent.end({ endTime: t0 + 5 });
  // A child still open when its parent ended, ending later.
  const late = trace.startSpan("late", { parent, startTime: t0 + 1 });
  late.end({ endTime: t0 + 9 });
  trace.end();
  await client.flush();
  const [t] = await standIn.waitForTraces(1);
  const by = Object.fromEntries(t.spans.map((s) => [s.name, s]));
  const start = (n: string) => toMicros(by[n].started_at)!;
  const end = (n: string) => toMicros(by[n].ended_at!)!;
  for (const child of ["early", "late"]) {
    expect(start(child), `${child} starts inside parent`).toBeGreaterThanOrEqual(start("parent"));
    expect(end(child), `${child} ends inside parent`).toBeLessThanOrEqual(end("parent"));
    expect(end(child)).toBeGreaterThanOrEqual(start(child));
  }
  expect(end("parent")).toBe(end("early")); // moved to its child's end, not cut to t0 + 5
});
