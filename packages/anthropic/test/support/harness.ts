/** The anthropic suites' harness: the shared stand-in harness plus the fake Anthropic server and clients of the SDK under test. */
import type { PandaProbe } from "@pandaprobe/core";
import type { StandIn, TraceResponse } from "@pandaprobe/testing";
import { useStandIn } from "@pandaprobe/testing/vitest";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type WrapAnthropicOptions, wrapAnthropic } from "../../src/index.js";
import { type FakeAnthropic, startFakeAnthropic } from "./fake-anthropic-server.js";

/** Reads a stream to its end (shared by every package's suites). */
export { drain } from "@pandaprobe/testing";

export { onlySpan, spansNamed } from "@pandaprobe/testing";
export { EXPECTED_USAGE, SEARCH_RESULTS, THINKING, USAGE } from "./fake-anthropic-server.js";

/** The `@anthropic-ai/sdk` release under test: its default export (the `Anthropic` class). */
export interface SdkUnderTest {
  label: string;
  Anthropic: any;
}

export interface Harness {
  standIn: StandIn;
  pp: PandaProbe;
  fake: FakeAnthropic;
  /** A bare (unwrapped) client of the release under test. */
  bare(options?: Record<string, unknown>): any;
  /** A wrapped client sending to `pp`. */
  wrapped(wrap?: WrapAnthropicOptions, options?: Record<string, unknown>): any;
  /** Flushes `pp` and waits for `n` persisted traces. */
  traces(n: number): Promise<TraceResponse[]>;
}

export const MODEL = "claude-sonnet-5-5";
export const MESSAGES = [{ role: "user", content: "Weather in Paris?" }];
export const SYSTEM = "You are terse.";
export const WEATHER_TOOL = {
  name: "get_weather",
  description: "Current weather for a city",
  input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};
export const SEARCH_TOOL = { type: "web_search_20250305", name: "web_search", max_uses: 2 };

/** Registers the lifecycle hooks and returns the (lazily filled) harness; every test's bodies must be valid. */
export function useHarness(sdk: SdkUnderTest): Harness {
  const shared = useStandIn({ checkEachTest: true });
  const h = {} as Harness;
  beforeAll(async () => {
    h.standIn = shared.standIn;
    h.pp = shared.client;
    h.fake = await startFakeAnthropic();
    h.bare = (options = {}) =>
      new sdk.Anthropic({ apiKey: "sk-ant-fake", baseURL: h.fake.baseURL, maxRetries: 0, ...options });
    h.wrapped = (wrap = {}, options = {}) => wrapAnthropic(h.bare(options), { client: h.pp, ...wrap });
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
