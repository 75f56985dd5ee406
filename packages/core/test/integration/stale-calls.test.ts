/** The one stale-call sweep (fake timers) and the garbage-collection watch. */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createIntegration, META } from "../../src/integration/index.js";
import { clientFor, startStandIn, type StandIn } from "../helpers.js";

const gc: () => void =
  typeof globalThis.gc === "function"
    ? globalThis.gc
    : (setFlagsFromString("--expose-gc"), runInNewContext("gc") as () => void);

const TIMERS: Parameters<typeof vi.useFakeTimers>[0] = {
  toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
};

let standIn: StandIn;
afterEach(async () => {
  vi.useRealTimers();
  await standIn?.close();
});

describe("the stale-call sweep", () => {
  it("closes a call idle for staleCallTimeoutMs: ERROR, abandoned: timeout, children closed by onAbandon", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    vi.useFakeTimers(TIMERS);
    const integration = createIntegration("test", { client, staleCallTimeoutMs: 1_000 });
    let child: ReturnType<NonNullable<ReturnType<typeof integration.startCall>>["span"]["startSpan"]> | undefined;
    const call = integration.startCall({
      name: "stuck",
      kind: "AGENT",
      key: "k",
      onAbandon: (c) => child?.end({ error: c.abandoned!.error }),
    })!;
    child = call.span.startSpan("model", { kind: "LLM" });
    vi.advanceTimersByTime(900);
    integration.findCall("k"); // activity: a new idle period starts
    vi.advanceTimersByTime(900);
    expect(call.ended).toBe(false);
    call.busy = true; // a read in flight: never stale
    vi.advanceTimersByTime(5_000);
    expect(call.ended).toBe(false);
    call.busy = false;
    vi.advanceTimersByTime(2_100);
    expect(call.ended).toBe(true);
    expect(call.abandoned?.reason).toBe("timeout");
    expect(integration.openCalls).toBe(0);
    expect(integration.findCall("k")).toBeUndefined();
    vi.useRealTimers();
    await client.flush();
    const [t] = await standIn.waitForTraces(1);
    expect(t.status).toBe("ERROR");
    const root = t.spans.find((s) => s.name === "stuck")!;
    expect(root).toMatchObject({ status: "ERROR", metadata: { [META.ABANDONED]: "timeout" } });
    expect(root.error).toContain("did not end");
    expect(t.spans.find((s) => s.name === "model")).toMatchObject({ status: "ERROR", error: root.error });
  });

  it("staleCallTimeoutMs: 0 turns it off; a call that ends in time is never touched", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    vi.useFakeTimers(TIMERS);
    const off = createIntegration("test", { client, staleCallTimeoutMs: 0 }).startCall({ name: "off", kind: "LLM" })!;
    const done = createIntegration("test", { client, staleCallTimeoutMs: 10 }).startCall({ name: "ok", kind: "LLM" })!;
    done.end({ output: "fine" });
    vi.advanceTimersByTime(60 * 60_000);
    expect(off.ended).toBe(false);
    expect(done.abandoned).toBeUndefined();
    off.end();
  });
});

describe("the garbage-collection watch", () => {
  it("closes a call whose result was collected unread: abandoned: gc", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    const integration = createIntegration("test", { client, staleCallTimeoutMs: 0 });
    const call = integration.startCall({ name: "dropped", kind: "LLM" })!;
    (() => call.watch({ stream: "the caller's result" }))();
    await new Promise((r) => setTimeout(r, 300)); // watches are registered after a short while
    const waiting = standIn.waitForTraces(1, { timeoutMs: 10_000 });
    let seen = false;
    void waiting.then(() => (seen = true));
    for (const deadline = Date.now() + 10_000; !seen && Date.now() < deadline; ) {
      gc();
      await new Promise((r) => setImmediate(r));
      await client.flush();
    }
    const [t] = await waiting;
    expect(t.spans[0]).toMatchObject({ status: "ERROR", metadata: { [META.ABANDONED]: "gc" } });
  });
});
