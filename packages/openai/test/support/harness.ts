/** The openai suites' harness: the shared stand-in harness plus the fake OpenAI server and clients of the version under test. */
import type { PandaProbe } from "@pandaprobe/core";
import type { StandIn, TraceResponse } from "@pandaprobe/testing";
import { useStandIn } from "@pandaprobe/testing/vitest";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { wrapOpenAI, type WrapOpenAIOptions } from "../../src/index.js";
import { startFakeOpenAI, type FakeOpenAI } from "./fake-openai-server.js";

/** Reads a stream to its end (shared by every package's suites). */
export { drain } from "@pandaprobe/testing";

export { onlySpan, spansNamed } from "@pandaprobe/testing";

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

/** Registers the lifecycle hooks and returns the (lazily filled) harness; every test's bodies must be valid. */
export function useHarness(sdk: OpenAIUnderTest): Harness {
  const shared = useStandIn({ checkEachTest: true });
  const h = {} as Harness;
  beforeAll(async () => {
    h.standIn = shared.standIn;
    h.pp = shared.client;
    h.fake = await startFakeOpenAI();
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
  afterAll(async () => {
    await h.fake.close();
  });
  return h;
}

/** The core usage shape every fixture normalises to. */
export { EXPECTED_USAGE } from "./fake-openai-server.js";
