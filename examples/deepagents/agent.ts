/**
 * A deep agent (`deepagents`) traced by `DeepAgentsCallbackHandler`: it plans with the todo tool, delegates research
 * to a subagent through its `task` tool, and writes files with its file tools. One trace per invoke: the subagent
 * is an AGENT span under its `task` tool span, with its own model calls and file tools under it.
 *
 * Runs with no credentials: a scripted chat model and, unless PANDAPROBE_API_KEY is set, a local PandaProbe
 * stand-in backend whose received trace tree is printed.
 *   pnpm --filter @pandaprobe/example-deepagents start
 */
import { PandaProbe } from "@pandaprobe/core";
import { DeepAgentsCallbackHandler } from "@pandaprobe/langgraph";
import { formatTraceTree, startStandIn } from "@pandaprobe/testing";
import { createDeepAgent } from "deepagents";
import { todoListMiddleware } from "langchain";
import { RESEARCHER_PROMPT, ScriptedModel } from "./fake-model.js";

const useStandIn = !process.env.PANDAPROBE_API_KEY;
const standIn = useStandIn ? await startStandIn({ persistDelayMs: 0 }) : undefined;
// With PANDAPROBE_API_KEY / PANDAPROBE_PROJECT_NAME / PANDAPROBE_ENDPOINT set, the client reads them.
const pandaprobe = new PandaProbe(standIn ? { ...standIn.clientOptions, flushIntervalMs: 200 } : {});

const model = new ScriptedModel();
const agent = createDeepAgent({
  model,
  systemPrompt: "You write short research reports.",
  middleware: [todoListMiddleware()],
  subagents: [{ name: "researcher", description: "Finds facts.", systemPrompt: RESEARCHER_PROMPT, model }],
});

const handler = new DeepAgentsCallbackHandler({
  client: pandaprobe,
  userId: "user-42",
  sessionId: "session-7",
  tags: ["example"],
});
const result = await agent.invoke(
  { messages: [{ role: "user", content: "Write a short report on Lisbon." }] },
  { callbacks: [handler] },
);
console.log(`assistant: ${result.messages.at(-1)?.content}`);
console.log(`/report.md:\n${JSON.stringify(result.files?.["/report.md"] ?? "(none)")}`);

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
