/** The bedrock suites' harness: the shared stand-in harness plus the fake Bedrock Runtime and clients of the release under test. */
import type { PandaProbe } from "@pandaprobe/core";
import type { StandIn, TraceResponse } from "@pandaprobe/testing";
import { useStandIn } from "@pandaprobe/testing/vitest";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { type WrapBedrockOptions, wrapBedrock } from "../../src/index.js";
import { type FakeBedrock, startFakeBedrock } from "./fake-bedrock-server.js";

/** Reads a stream to its end (shared by every package's suites). */
export { drain } from "@pandaprobe/testing";

export { onlySpan, spansNamed } from "@pandaprobe/testing";

/** The `@aws-sdk/client-bedrock-runtime` release under test: its module and a label. */
export interface BedrockUnderTest {
  label: string;
  sdk: any;
}

export interface Harness {
  standIn: StandIn;
  pp: PandaProbe;
  fake: FakeBedrock;
  /** A bare (unwrapped) `BedrockRuntimeClient` of the release under test (no retries unless `maxAttempts` is given). */
  bare(options?: Record<string, unknown>): any;
  /** A wrapped client sending to `pp`. */
  wrapped(wrap?: WrapBedrockOptions, options?: Record<string, unknown>): any;
  /** Flushes `pp` and waits for `n` persisted traces. */
  traces(n: number): Promise<TraceResponse[]>;
}

/** Dummy credentials: the fake server checks that requests are SigV4-signed, not by whom. */
export const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

export const CLAUDE = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
export const MESSAGES = [{ role: "user", content: [{ text: "Weather in Paris?" }] }];
export const SYSTEM = [{ text: "You are terse." }, { cachePoint: { type: "default" } }];
export const WEATHER_TOOL = {
  toolSpec: {
    name: "get_weather",
    description: "Current weather for a city",
    inputSchema: { json: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
  },
};

/** Registers the lifecycle hooks and returns the (lazily filled) harness; every test's bodies must be valid. */
export function useHarness(t: BedrockUnderTest): Harness {
  const shared = useStandIn({ checkEachTest: true });
  const h = {} as Harness;
  const clients: any[] = [];
  beforeAll(async () => {
    h.standIn = shared.standIn;
    h.pp = shared.client;
    h.fake = await startFakeBedrock();
    h.bare = (options = {}) => {
      const client = new t.sdk.BedrockRuntimeClient({
        region: "us-east-1",
        credentials: CREDENTIALS,
        endpoint: h.fake.endpoint,
        maxAttempts: 1,
        ...options,
      });
      clients.push(client);
      return client;
    };
    h.wrapped = (wrap = {}, options = {}) => wrapBedrock(h.bare(options), { client: h.pp, ...wrap });
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
    for (const c of clients.splice(0)) c.destroy();
  });
  afterAll(async () => {
    await h.fake.close();
  });
  return h;
}

/** The text of an InvokeModel request body. */
export const json = (body: unknown) => JSON.stringify(body);

/** Decodes an InvokeModelWithResponseStream event's chunk. */
export const chunkJson = (event: any) => JSON.parse(Buffer.from(event.chunk.bytes).toString("utf8"));

export { EXPECTED_PLAIN_USAGE, EXPECTED_USAGE, REPLY, TOOL_USE_ID } from "./fixtures.js";
