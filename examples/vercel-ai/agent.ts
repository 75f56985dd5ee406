/**
 * A streamText agent with two tools, traced with a userId and a sessionId.
 *
 * Runs with no credentials: a scripted mock model (the AI SDK's own `ai/test` mock) and, unless
 * PANDAPROBE_API_KEY is set, a local PandaProbe stand-in backend. It prints the trace tree.
 *   pnpm --filter @pandaprobe/example-vercel-ai start
 * AI SDK 6 here (Node 20); with AI SDK 7 use `registerTelemetry(createPandaProbeTelemetry())` instead.
 */
import { stepCountIs, streamText, tool } from "ai";
import { MockLanguageModelV3, convertArrayToReadableStream } from "ai/test";
import { z } from "zod";
import { PandaProbe } from "@pandaprobe/core";
import { createPandaProbeTracer } from "@pandaprobe/vercel-ai";
import { formatTraceTree, startStandIn } from "@pandaprobe/testing";

const useStandIn = !process.env.PANDAPROBE_API_KEY;
const standIn = useStandIn ? await startStandIn({ persistDelayMs: 0 }) : undefined;
const client = new PandaProbe(standIn ? { ...standIn.clientOptions, flushIntervalMs: 200 } : {});

// The model: asks for the weather, then for a unit conversion, then answers.
const usage = {
  inputTokens: { total: 42, noCache: 30, cacheRead: 12, cacheWrite: 0 },
  outputTokens: { total: 9, text: 9, reasoning: 0 },
};
const finish = (unified: "tool-calls" | "stop") => ({
  type: "finish" as const,
  finishReason: { unified, raw: unified },
  usage,
});
const script = [
  [
    { type: "tool-call", toolCallId: "call-1", toolName: "weather", input: JSON.stringify({ city: "Lisbon" }) },
    finish("tool-calls"),
  ],
  [
    { type: "tool-call", toolCallId: "call-2", toolName: "toFahrenheit", input: JSON.stringify({ celsius: 24 }) },
    finish("tool-calls"),
  ],
  [
    { type: "text-start", id: "t" },
    { type: "text-delta", id: "t", delta: "It is 24°C (75°F) and sunny in Lisbon." },
    { type: "text-end", id: "t" },
    finish("stop"),
  ],
];
let turn = 0;
const model = new MockLanguageModelV3({
  provider: "mock-provider",
  modelId: "mock-agent-model",
  doStream: async () => ({
    stream: convertArrayToReadableStream([
      { type: "stream-start", warnings: [] },
      ...(script[turn++ % script.length] as never[]),
    ]),
  }),
});

const tools = {
  weather: tool({
    description: "Current weather for a city",
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, celsius: 24, sky: "sunny" }),
  }),
  toFahrenheit: tool({
    description: "Convert Celsius to Fahrenheit",
    inputSchema: z.object({ celsius: z.number() }),
    execute: async ({ celsius }) => ({ fahrenheit: Math.round((celsius * 9) / 5 + 32) }),
  }),
};

const tracer = createPandaProbeTracer({ client, tags: ["example"] });
const result = streamText({
  model,
  system: "You are a concise travel assistant.",
  prompt: "What's the weather in Lisbon, in Fahrenheit too?",
  tools,
  stopWhen: stepCountIs(5),
  experimental_telemetry: {
    isEnabled: true,
    tracer,
    functionId: "travel-agent",
    metadata: { userId: "user-42", sessionId: "session-7" },
  },
});
process.stdout.write("assistant: ");
for await (const delta of result.textStream) process.stdout.write(delta);
process.stdout.write("\n\n");

await client.flush();
if (standIn) {
  const [trace] = await standIn.waitForTraces(1);
  console.log(formatTraceTree(trace));
  const errors = standIn.schemaErrors();
  if (errors.length > 0) console.error("schema errors:", errors);
  await client.shutdown();
  await standIn.close();
} else {
  await client.shutdown();
  console.log("trace sent to", process.env.PANDAPROBE_ENDPOINT ?? "the PandaProbe endpoint");
}
