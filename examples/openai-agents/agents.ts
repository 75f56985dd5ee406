/**
 * An OpenAI Agents SDK run traced by `@pandaprobe/openai-agents`: a triage agent hands off to a weather agent, which
 * calls a tool and answers. One PandaProbe trace: the workflow, both AGENT spans, their LLM calls, the handoff and
 * the tool, under a user (the `user()` scope) and a session (the SDK's group id).
 *
 * Runs with no credentials: a fake OpenAI Responses API in-process and, unless PANDAPROBE_API_KEY is set, a local
 * PandaProbe stand-in backend whose received trace tree is printed.
 *   pnpm --filter @pandaprobe/example-openai-agents start
 */
import { Agent, OpenAIProvider, Runner, setDefaultModelProvider, setTraceProcessors, tool } from "@openai/agents";
import { z } from "zod";
import { PandaProbe, user } from "@pandaprobe/core";
import { createPandaProbeProcessor } from "@pandaprobe/openai-agents";
import { formatTraceTree, startStandIn } from "@pandaprobe/testing";
import { startFakeResponses } from "./fake-responses.js";

const useStandIn = !process.env.PANDAPROBE_API_KEY;
const standIn = useStandIn ? await startStandIn({ persistDelayMs: 0 }) : undefined;
const pandaprobe = new PandaProbe(standIn ? { ...standIn.clientOptions, flushIntervalMs: 200 } : {});
const fake = await startFakeResponses();
setDefaultModelProvider(new OpenAIProvider({ apiKey: "sk-example", baseURL: fake.baseURL }));

// PandaProbe as the only trace processor: this example has no OpenAI key for the SDK's own export to OpenAI. In an
// app that keeps that export, add PandaProbe beside it instead: `instrumentOpenAIAgents({ client: pandaprobe })`.
setTraceProcessors([createPandaProbeProcessor({ client: pandaprobe, tags: ["example"] })]);

const getWeather = tool({
  name: "get_weather",
  description: "Current weather for a city",
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, celsius: 24, sky: "sunny" }),
});
const weather = new Agent({
  name: "Weather agent",
  instructions: "Answer weather questions with get_weather.",
  model: "gpt-4.1-mini",
  tools: [getWeather],
});
const triage = new Agent({
  name: "Triage agent",
  instructions: "Hand weather questions to the weather agent.",
  model: "gpt-4.1-mini",
  handoffs: [weather],
});

// The group id (a conversation id) becomes the trace's session; `user()` names its user.
const runner = new Runner({ workflowName: "weather-chat", groupId: "conversation-7" });
const result = await user("user-42", () => runner.run(triage, "What's the weather in Lisbon?"));
console.log(`${result.lastAgent?.name}: ${result.finalOutput}\n`);

const flushed = await pandaprobe.shutdown({ timeoutMs: 5000 });
if (standIn) {
  const [trace] = await standIn.waitForTraces(1);
  console.log(formatTraceTree(trace));
  const errors = standIn.schemaErrors();
  console.log(errors.length ? `schema errors: ${JSON.stringify(errors)}` : "every payload matched the OpenAPI schema");
  await standIn.close();
} else {
  console.log(`sent to PandaProbe: ${JSON.stringify(flushed)}`);
}
await fake.close();
