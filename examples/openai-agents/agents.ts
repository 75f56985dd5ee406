/**
 * An OpenAI Agents SDK run traced by `@pandaprobe/openai-agents`: a triage agent hands off to a weather agent, which
 * calls a tool and answers. One PandaProbe trace: the workflow, both AGENT spans, their LLM calls, the handoff and
 * the tool, under a user (the `user()` scope) and a session (the SDK's group id).
 *
 * From the repo root: `npx -y pnpm@9.15.9 example openai-agents` (a local PandaProbe backend and a fake OpenAI
 * Responses API are started for it; no keys needed). As your own app it needs PANDAPROBE_API_KEY,
 * PANDAPROBE_PROJECT_NAME and OPENAI_API_KEY.
 */
import { Agent, Runner, setTraceProcessors, tool } from "@openai/agents";
import { z } from "zod";
import { init, user } from "@pandaprobe/core";
import { createPandaProbeProcessor } from "@pandaprobe/openai-agents";

const pandaprobe = init(); // PANDAPROBE_API_KEY, PANDAPROBE_PROJECT_NAME, PANDAPROBE_ENDPOINT
// The model: OPENAI_API_KEY (OPENAI_BASE_URL points it at another server, here the runner's fake Responses API).

// PandaProbe as the only trace processor: this example has no OpenAI key for the SDK's own export to OpenAI. In an
// app that keeps that export, add PandaProbe beside it instead: `instrumentOpenAIAgents()`.
setTraceProcessors([createPandaProbeProcessor({ tags: ["example"] })]);

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
const runner = new Runner({ workflowName: "weather-chat", groupId: "session-7" });
const result = await user("user-42", () => runner.run(triage, "What's the weather in Lisbon?"));
console.log(`${result.lastAgent?.name}: ${result.finalOutput}\n`);

// Before a script or a serverless function ends: deliver what was recorded, and see whether it all arrived.
const flushed = await pandaprobe.shutdown();
if (flushed.disabled) console.log(`PandaProbe sent nothing: ${flushed.disabled}.`);
else if (flushed.ok) console.log(`PandaProbe: the trace was delivered to ${pandaprobe.config.endpoint}.`);
else console.log(`PandaProbe: not everything was delivered: ${JSON.stringify(flushed)}`);
