/**
 * A LangGraph ReAct agent with two tools, traced by `@pandaprobe/langgraph`: one trace per `invoke`, under a user
 * and a session, with a span per graph node, LLM spans (model, token usage, tool calls) and TOOL spans.
 *
 * From the repo root: `npx -y pnpm@9.15.9 example langgraph` (a local PandaProbe backend and a fake OpenAI server
 * are started for it; no keys needed). As your own app it needs PANDAPROBE_API_KEY, PANDAPROBE_PROJECT_NAME and
 * OPENAI_API_KEY.
 */
import { HumanMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { createReactAgent } from "@langchain/langgraph/prebuilt";
import { ChatOpenAI } from "@langchain/openai";
import { init } from "@pandaprobe/core";
import { LangGraphCallbackHandler } from "@pandaprobe/langgraph";
import { z } from "zod";

const pandaprobe = init(); // PANDAPROBE_API_KEY, PANDAPROBE_PROJECT_NAME, PANDAPROBE_ENDPOINT

const getWeather = tool(async ({ city }) => `${city}: 24°C and sunny`, {
  name: "get_weather",
  description: "Current weather for a city",
  schema: z.object({ city: z.string() }),
});
const getLocalTime = tool(async ({ city }) => `${city}: 14:05 local time`, {
  name: "get_local_time",
  description: "Local time in a city",
  schema: z.object({ city: z.string() }),
});

// OPENAI_API_KEY; OPENAI_BASE_URL points it elsewhere (the runner's fake OpenAI server).
const llm = new ChatOpenAI({ model: "gpt-4o-mini", configuration: { baseURL: process.env.OPENAI_BASE_URL } });
const agent = createReactAgent({ llm, tools: [getWeather, getLocalTime], name: "travel_agent" });

// One handler serves every request; the user and the session can also come per run (see the package README).
const handler = new LangGraphCallbackHandler({ userId: "user-42", sessionId: "session-7", tags: ["example"] });

const question = "What's the weather and the time in Lisbon?";
console.log(`user-42 asks: ${question}`);
const result = await agent.invoke({ messages: [new HumanMessage(question)] }, { callbacks: [handler] });
console.log(`assistant: ${result.messages.at(-1)?.content}\n`);

// Before a script or a serverless function ends: deliver what was recorded, and see whether it all arrived.
const flushed = await pandaprobe.shutdown();
if (flushed.disabled) console.log(`PandaProbe sent nothing: ${flushed.disabled}.`);
else if (flushed.ok) console.log(`PandaProbe: the trace was delivered to ${pandaprobe.config.endpoint}.`);
else console.log(`PandaProbe: not everything was delivered: ${JSON.stringify(flushed)}`);
