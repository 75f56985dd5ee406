/** The mistral suites' harness: the shared stand-in harness plus the fake Mistral server and clients of the release under test. */
import type { PandaProbe } from "@pandaprobe/core";
import type { StandIn, TraceResponse } from "@pandaprobe/testing";
import { useStandIn } from "@pandaprobe/testing/vitest";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type WrapMistralOptions, wrapMistral } from "../../src/index.js";
import { type FakeMistral, startFakeMistral } from "./fake-mistral-server.js";

/** Reads a stream to its end (shared by every package's suites). */
export { drain } from "@pandaprobe/testing";

export { onlySpan, spansNamed } from "@pandaprobe/testing";
export { EXPECTED_USAGE } from "./fake-mistral-server.js";

/** The `@mistralai/mistralai` release under test and what differs between releases. */
export interface MistralUnderTest {
  label: string;
  /** The module (`Mistral`, `EventStream` is not exported: streams are compared with a bare client's). */
  sdk: any;
  /** `chat.parse` / `chat.parseStream` exist (1.5 and later). */
  parse: boolean;
  /** `EventStream` is a `ReadableStream` (1.10 and later); before, an async iterable only. */
  readableStream: boolean;
  /** The SDK accepts content chunks (`thinking`, `text`) in replies (1.5 and later). */
  contentChunks: boolean;
  /** The SDK passes Mistral's `prompt_tokens_details` through (1.10 and later). */
  cachedTokens: boolean;
}

export interface Harness {
  standIn: StandIn;
  pp: PandaProbe;
  fake: FakeMistral;
  /** A bare (unwrapped) client of the release under test. */
  bare(options?: Record<string, unknown>): any;
  /** A wrapped client sending to `pp`. */
  wrapped(wrap?: WrapMistralOptions, options?: Record<string, unknown>): any;
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

/** The usage a span records for the fake server's usage, in the release under test. */
export function expectedUsage(sdk: MistralUnderTest): Record<string, number> {
  return sdk.cachedTokens
    ? { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19, cache_read_tokens: 4 }
    : { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 };
}

/** Registers the lifecycle hooks and returns the (lazily filled) harness; every test's bodies must be valid. */
export function useHarness(sdk: MistralUnderTest): Harness {
  const shared = useStandIn({ checkEachTest: true });
  const h = {} as Harness;
  beforeAll(async () => {
    h.standIn = shared.standIn;
    h.pp = shared.client;
    h.fake = await startFakeMistral();
    h.bare = (options = {}) => new sdk.sdk.Mistral({ apiKey: "k-fake", serverURL: h.fake.serverURL, ...options });
    h.wrapped = (wrap = {}, options = {}) => wrapMistral(h.bare(options), { client: h.pp, ...wrap });
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

/** The text a stream of completion events carries. */
export const streamedText = (events: any[]) =>
  events
    .map((e) => (typeof e.data.choices[0]?.delta?.content === "string" ? e.data.choices[0].delta.content : ""))
    .join("");

/** Request options that make the fake server fail: `<status>x<count>` (`*`: every attempt) for request id `id`. */
export const failing = (spec: string, id: string) => ({
  fetchOptions: { headers: { "x-fake-fail": spec, "x-fake-id": id } },
});

/** Fast retries (the SDK's backoff, without its 500 ms first wait). */
export const FAST_RETRIES = {
  strategy: "backoff",
  backoff: { initialInterval: 1, maxInterval: 2, exponent: 1, maxElapsedTime: 100 },
  retryConnectionErrors: false,
};
