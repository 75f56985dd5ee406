/**
 * The suites' harness: the real `@openai/agents` of the version under test, its OpenAI provider pointed at the fake
 * Responses server, the SDK's own OpenAI trace exporter pointed at the fake's traces ingest (never api.openai.com),
 * and a PandaProbe processor sending to the stand-in.
 */
import type { StandIn, TraceResponse } from "@pandaprobe/testing";
import { useStandIn } from "@pandaprobe/testing/vitest";
import type { PandaProbe } from "@pandaprobe/core";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { createPandaProbeProcessor, type OpenAIAgentsOptions, type PandaProbeProcessor } from "../../src/index.js";
import { type FakeResponses, startFakeResponses } from "./fake-responses-server.js";

/** The `@openai/agents` version under test: its module and the zod it takes tool schemas from. */
export interface AgentsUnderTest {
  label: string;
  /** The SDK's `major.minor` (0.x minors differ: task and turn spans exist from 0.14). */
  version: [number, number];
  agents: any;
  z: any;
}

export interface Harness {
  standIn: StandIn;
  client: PandaProbe;
  fake: FakeResponses;
  agents: any;
  z: any;
  /** The processor of the current test (installed beside the OpenAI exporter before each test). */
  processor: PandaProbeProcessor;
  /** Installs a new processor with `options` (and the client) as the only processors beside the OpenAI exporter. */
  install(options?: OpenAIAgentsOptions, where?: "after-export" | "before-export" | "alone"): PandaProbeProcessor;
  /** The SDK's OpenAI exporter, sending to the fake's ingest endpoint. */
  openAIExport(): unknown;
  /** Flushes the client and waits for `n` traces (all since the test began). */
  traces(n: number): Promise<TraceResponse[]>;
  /** Whether the SDK has task and turn spans (0.14 and later). */
  hasTurns: boolean;
}

export function useHarness(sdk: AgentsUnderTest): Harness {
  const shared = useStandIn({ checkEachTest: true });
  const h = { agents: sdk.agents, z: sdk.z } as Harness;
  h.hasTurns = sdk.version[1] >= 14;
  beforeAll(async () => {
    h.standIn = shared.standIn;
    h.client = shared.client;
    h.fake = await startFakeResponses();
    const a = sdk.agents;
    a.setDefaultModelProvider(new a.OpenAIProvider({ apiKey: "sk-fake", baseURL: h.fake.baseURL }));
    // The SDK turns its tracing off under NODE_ENV=test: a user's tests turn it on like this.
    a.setTracingDisabled(false);
    h.openAIExport = () =>
      new a.BatchTraceProcessor(new a.OpenAITracingExporter({ apiKey: "sk-fake", endpoint: h.fake.ingestURL }));
    h.install = (options = {}, where = "after-export") => {
      const processor = createPandaProbeProcessor({ client: h.client, ...options });
      const exporter = h.openAIExport();
      a.setTraceProcessors(
        where === "alone" ? [processor] : where === "before-export" ? [processor, exporter] : [exporter, processor],
      );
      h.processor = processor;
      return processor;
    };
    h.traces = async (n) => {
      await h.client.flush();
      return h.standIn.waitForTraces(n, { timeoutMs: 5000 });
    };
  });
  beforeEach(() => {
    h.standIn.reset();
    h.fake.requests.length = 0;
    h.fake.ingested.length = 0;
    h.install();
  });
  afterAll(async () => {
    sdk.agents.setTraceProcessors([]);
    await h.fake?.close();
  });
  return h;
}

/** A weather tool (zod schema) whose `execute` is `impl` (default: a fixed forecast). */
export function weatherTool(h: Harness, impl?: (args: { city: string }) => Promise<unknown>): any {
  return h.agents.tool({
    name: "get_weather",
    description: "Current weather for a city",
    parameters: h.z.object({ city: h.z.string() }),
    execute: impl ?? (async ({ city }: { city: string }) => ({ city, sky: "sunny" })),
  });
}
