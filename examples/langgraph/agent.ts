/**
 * A LangGraph ReAct agent with two tools, traced by `LangGraphCallbackHandler`: one trace per
 * invoke, with a span per graph node, LLM spans (model, usage, tool calls) and TOOL spans, under a
 * user and a session.
 *
 * Runs with no credentials: a fake chat model and, unless PANDAPROBE_API_KEY is set, a local
 * PandaProbe stand-in backend whose received trace tree is printed.
 *   pnpm --filter @pandaprobe/example-langgraph start
 */
import { HumanMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { createReactAgent } from "@langchain/langgraph/prebuilt";
import { PandaProbe } from "@pandaprobe/core";
import { LangGraphCallbackHandler } from "@pandaprobe/langgraph";
import { formatTraceTree, startStandIn } from "@pandaprobe/testing";
import { z } from "zod";
import { FakeToolModel } from "./fake-model.js";

const useStandIn = !process.env.PANDAPROBE_API_KEY;
const standIn = useStandIn ? await startStandIn({ persistDelayMs: 0 }) : undefined;
// With PANDAPROBE_API_KEY / PANDAPROBE_PROJECT_NAME / PANDAPROBE_ENDPOINT set, the client reads them.
const pandaprobe = new PandaProbe(standIn ? { ...standIn.clientOptions, flushIntervalMs: 200 } : {});

const getWeather = tool(async ({ city }) => `${city}: 24°C and sunny`, {
  name: "get_weather",
  description: "Current weather for a city",
  schema: z.object({ city: z.string() }),
});
const getTime = tool(async ({ city }) => `${city}: 14:05 local time`, {
  name: "get_local_time",
  description: "Local time in a city",
  schema: z.object({ city: z.string() }),
});

const agent = createReactAgent({ llm: new FakeToolModel(), tools: [getWeather, getTime], name: "travel_agent" });
const handler = new LangGraphCallbackHandler({
  client: pandaprobe,
  userId: "user-42",
  sessionId: "session-7",
  tags: ["example"],
});

const result = await agent.invoke(
  { messages: [new HumanMessage("What's the weather and time in Lisbon?")] },
  { callbacks: [handler] },
);
console.log(`assistant: ${result.messages.at(-1)?.content}`);

const flushed = await pandaprobe.flush();
if (standIn) {
  const [trace] = await standIn.waitForTraces(1);
  console.log(`\ntrace received by the local stand-in (schema errors: ${standIn.schemaErrors().length}):\n`);
  console.log(formatTraceTree(trace));
  await standIn.close();
} else {
  console.log(`\nsent to ${process.env.PANDAPROBE_ENDPOINT ?? "the PandaProbe backend"}: ${JSON.stringify(flushed)}`);
}
await pandaprobe.shutdown();
