/**
 * `@pandaprobe/testing/vitest`: what every integration's tests repeat, once. A stand-in and a client per test file
 * (`useStandIn`) or per test (`startHarness`), and the conformance checks every integration passes the same way.
 * Only for use inside vitest (it registers hooks and asserts with `expect`).
 */
import type { PandaProbe, PandaProbeOptions } from "@pandaprobe/core";
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { spanTimeProblems } from "./span-queries.js";
import { startStandIn, type StandIn } from "./server.js";
import { createTestClient } from "./test-client.js";
import type { StandInOptions, TraceResponse } from "./types.js";

/** A stand-in, a client sending to it, and a way to wait for what it received. */
export interface Harness {
  standIn: StandIn;
  client: PandaProbe;
  /** Flushes the client and waits for `n` traces that arrived since the last call (in order of arrival). */
  collect(n: number): Promise<TraceResponse[]>;
  /** Flushes the client and waits for `n` traces carrying `tag` (exactly `n`). */
  tagged(tag: string, n?: number): Promise<TraceResponse[]>;
  close(): Promise<void>;
}

const QUIET: StandInOptions = { persistDelayMs: 0, traceRateLimit: false, defaultRateLimit: false };

/** Starts a stand-in and a client for it (close it when done). Every body the stand-in received must be valid. */
export async function startHarness(options: StandInOptions = {}, client: PandaProbeOptions = {}): Promise<Harness> {
  const standIn = await startStandIn({ ...QUIET, ...options });
  const pp = createTestClient(standIn, client);
  let seen = 0;
  return {
    standIn,
    client: pp,
    async collect(n) {
      await pp.flush();
      const all = await standIn.waitForTraces(seen + n, { timeoutMs: 5000 });
      const fresh = all.slice(seen);
      seen = all.length;
      return fresh;
    },
    async tagged(tag, n = 1) {
      await pp.flush();
      const list = await standIn.waitForTraces(n, { filter: (t) => t.tags.includes(tag) });
      expect(list).toHaveLength(n);
      return list;
    },
    async close() {
      expect(standIn.schemaErrors()).toEqual([]);
      await pp.shutdown({ timeoutMs: 2000 });
      await standIn.close();
    },
  };
}

/**
 * One harness for the calling test file (started before its tests, closed after them), filled in when the tests
 * run. With `checkEachTest`, every test also ends by asserting that the bodies it caused were valid.
 */
export function useStandIn(options: StandInOptions & { checkEachTest?: boolean } = {}): Harness {
  const { checkEachTest, ...standInOptions } = options;
  const h = {} as Harness;
  beforeAll(async () => {
    Object.assign(h, await startHarness(standInOptions));
  });
  if (checkEachTest) afterEach(() => expect(h.standIn.schemaErrors()).toEqual([]));
  afterAll(async () => {
    await h.close?.();
  });
  return h;
}

let seq = 0;
/** A tag unique to one test: its traces are told apart by it (`harness.tagged(tag)`). */
export const uniqueTag = (label: string) => `t-${label}-${++seq}`;

/** Asserts that every span of `trace` ended, and that span times nest (see `spanTimeProblems`). */
export function expectSpansNest(trace: TraceResponse): void {
  expect(spanTimeProblems(trace), `span times of trace "${trace.name}"`).toEqual([]);
}

/** What `itClosesAbandonedCalls` needs from an integration. */
export interface AbandonedCallSetup {
  /**
   * Starts, through the integration under test made with `options` (its `client` and `staleCallTimeoutMs`), a call
   * whose end the framework will never report, standing alone (its own trace). Runs with fake timers.
   */
  abandon(options: { client: PandaProbe; staleCallTimeoutMs: number }): unknown;
  /** The name of the call's root span. */
  rootName: string;
}

/**
 * The stale-call sweep conformance test, the same for every integration: with `staleCallTimeoutMs: 1000` (fake
 * timers), the call is still open after 900 ms and closed by 2100 ms; its trace is ERROR, its root span ERROR with
 * metadata `abandoned: "timeout"` and an error saying it did not end, and every span under it ended.
 */
export function itClosesAbandonedCalls(label: string, setup: AbandonedCallSetup): void {
  it(`${label}: a call that reports no end is closed by the stale-call sweep (staleCallTimeoutMs)`, async () => {
    const h = await startHarness();
    try {
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
      let held: unknown;
      try {
        held = await setup.abandon({ client: h.client, staleCallTimeoutMs: 1_000 });
        vi.advanceTimersByTime(900);
        expect(h.client.stats().queued, "closed before staleCallTimeoutMs").toBe(0);
        vi.advanceTimersByTime(1_200);
        expect(h.client.stats().queued, "closed after staleCallTimeoutMs").toBe(1);
      } finally {
        vi.useRealTimers();
      }
      const [trace] = await h.collect(1);
      void held; // what the caller holds (a stream) stays reachable until here: only the sweep may close the call
      expect(trace.status).toBe("ERROR");
      const root = trace.spans.find((s) => s.name === setup.rootName && !s.parent_span_id);
      expect(root, `root span ${setup.rootName}`).toBeDefined();
      expect(root).toMatchObject({ status: "ERROR", metadata: expect.objectContaining({ abandoned: "timeout" }) });
      expect(root!.error).toContain("did not end: no activity for 1000 ms");
      expectSpansNest(trace);
    } finally {
      await h.close();
    }
  });
}
