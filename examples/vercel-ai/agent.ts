/**
 * A `streamText` agent with two tools on the Vercel AI SDK 6, traced by `@pandaprobe/vercel-ai`: one trace per call,
 * under a user and a session, with the AI SDK's steps, LLM spans (model, token usage, tool calls) and TOOL spans.
 * (AI SDK 7, Node 22+: `registerTelemetry(createPandaProbeTelemetry())` instead of the tracer; see the package README.)
 *
 * From the repo root: `npx -y pnpm@9.15.9 example vercel-ai` (a local PandaProbe backend and a fake OpenAI server
 * are started for it; no keys needed). As your own app it needs PANDAPROBE_API_KEY, PANDAPROBE_PROJECT_NAME and
 * OPENAI_API_KEY.
 */
import { openai } from "@ai-sdk/openai";
import { init } from "@pandaprobe/core";
import { createPandaProbeTracer } from "@pandaprobe/vercel-ai";
import { stepCountIs, streamText, tool } from "ai";
import { z } from "zod";

const pandaprobe = init(); // PANDAPROBE_API_KEY, PANDAPROBE_PROJECT_NAME, PANDAPROBE_ENDPOINT
const tracer = createPandaProbeTracer({ tags: ["example"] });

const tools = {
  weather: tool({
    description: "Current weather for a city",
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => `${city}: 24°C and sunny`,
  }),
  localTime: tool({
    description: "Local time in a city",
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => `${city}: 14:05 local time`,
  }),
};

const question = "What's the weather and the time in Lisbon?";
console.log(`user-42 asks: ${question}`);
const result = streamText({
  model: openai.chat("gpt-4o-mini"), // OPENAI_API_KEY (and OPENAI_BASE_URL)
  system: "You are a concise travel assistant.",
  prompt: question,
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

// Before a script or a serverless function ends: deliver what was recorded, and see whether it all arrived.
const flushed = await pandaprobe.shutdown();
if (flushed.disabled) console.log(`PandaProbe sent nothing: ${flushed.disabled}.`);
else if (flushed.ok) console.log(`PandaProbe: the trace was delivered to ${pandaprobe.config.endpoint}.`);
else console.log(`PandaProbe: not everything was delivered: ${JSON.stringify(flushed)}`);
