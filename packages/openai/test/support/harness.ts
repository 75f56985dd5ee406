/** Shared test harness: the stand-in backend, a PandaProbe client on it, and the fake OpenAI server. */
import type { PandaProbe } from "@pandaprobe/core";
import {
  createTestClient,
  startStandIn,
  type SpanResponse,
  type StandIn,
  type TraceResponse,
} from "@pandaprobe/testing";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import { wrapOpenAI, type WrapOpenAIOptions } from "../../src/index.js";
import { startFakeOpenAI, type FakeOpenAI } from "../fake-openai-server.js";

/** The `openai` major under test: its default export and version. */
export interface OpenAIUnderTest {
  label: string;
  major: number;
  OpenAI: any;
}

export interface Harness {
  standIn: StandIn;
  pp: PandaProbe;
  fake: FakeOpenAI;
  /** A bare (unwrapped) client of the version under test. */
  bare(options?: Record<string, unknown>): any;
  /** A wrapped client sending to `pp`. */
  wrapped(wrap?: WrapOpenAIOptions, options?: Record<string, unknown>): any;
  /** Flushes `pp` and waits for `n` persisted traces. */
  traces(n: number): Promise<TraceResponse[]>;
}

export const USER_MSGS = [
  { role: "system", content: "You are terse." },
  { role: "user", content: "Weather in Paris?" },
];

export const WEATHER_TOOL = {
  type: "function",
  function: {
    name: "get_weather",
    description: "w",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

/** Registers the lifecycle hooks and returns the (lazily filled) harness. */
export function useHarness(sdk: OpenAIUnderTest): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    h.standIn = await startStandIn({ persistDelayMs: 0 });
    h.fake = await startFakeOpenAI();
    h.pp = createTestClient(h.standIn);
    h.bare = (options = {}) =>
      new sdk.OpenAI({ apiKey: "sk-fake", baseURL: h.fake.baseURL, maxRetries: 0, ...options });
    h.wrapped = (wrap = {}, options = {}) => wrapOpenAI(h.bare(options), { client: h.pp, ...wrap });
    h.traces = async (n) => {
      await h.pp.flush();
      return h.standIn.waitForTraces(n);
    };
  });
  beforeEach(() => {
    h.standIn.reset();
    h.fake.requests.length = 0;
  });
  afterEach(() => {
    expect(h.standIn.schemaErrors()).toEqual([]);
  });
  afterAll(async () => {
    await h.pp.shutdown({ timeoutMs: 2000 });
    await h.standIn.close();
    await h.fake.close();
  });
  return h;
}

/** The only span of a trace (asserts there is exactly one). */
export function onlySpan(trace: TraceResponse): SpanResponse {
  expect(trace.spans).toHaveLength(1);
  return trace.spans[0];
}

/** Spans of a trace by name. */
export function spansNamed(trace: TraceResponse, name: string): SpanResponse[] {
  return trace.spans.filter((s) => s.name === name);
}

/** Drains an async iterable, returning its items. */
export async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The core usage shape every fixture normalises to. */
export { EXPECTED_USAGE } from "../fake-openai-server.js";
