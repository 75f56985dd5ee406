/**
 * A deep agent (`deepagents`) traced by `DeepAgentsCallbackHandler`: it plans with the todo tool, delegates research
 * to a subagent through its `task` tool, and writes files with its file tools. One trace per invoke: the subagent
 * is an AGENT span under its `task` tool span, with its own model calls and file tools under it.
 *
 * The model is scripted (fake-model.ts, a LangChain chat model of its own): put your provider's model there. From the
 * repo root: `npx -y pnpm@9.15.9 example deepagents` (a local PandaProbe backend is started for it; no keys needed).
 */
import { init } from "@pandaprobe/core";
import { DeepAgentsCallbackHandler } from "@pandaprobe/langgraph";
import { createDeepAgent } from "deepagents";
import { todoListMiddleware } from "langchain";
import { RESEARCHER_PROMPT, ScriptedModel } from "./fake-model.js";

const pandaprobe = init(); // PANDAPROBE_API_KEY, PANDAPROBE_PROJECT_NAME, PANDAPROBE_ENDPOINT

const model = new ScriptedModel();
const agent = createDeepAgent({
  model,
  systemPrompt: "You write short research reports.",
  middleware: [todoListMiddleware()],
  subagents: [{ name: "researcher", description: "Finds facts.", systemPrompt: RESEARCHER_PROMPT, model }],
});

const handler = new DeepAgentsCallbackHandler({
  userId: "user-42",
  sessionId: "session-7",
  tags: ["example"],
});
const result = await agent.invoke(
  { messages: [{ role: "user", content: "Write a short report on Lisbon." }] },
  { callbacks: [handler] },
);
console.log(`assistant: ${result.messages.at(-1)?.content}`);
console.log(`/report.md:\n${JSON.stringify(result.files?.["/report.md"] ?? "(none)")}\n`);

// Before a script or a serverless function ends: deliver what was recorded, and see whether it all arrived.
const flushed = await pandaprobe.shutdown();
if (flushed.disabled) console.log(`PandaProbe sent nothing: ${flushed.disabled}.`);
else if (flushed.ok) console.log(`PandaProbe: the trace was delivered to ${pandaprobe.config.endpoint}.`);
else console.log(`PandaProbe: not everything was delivered: ${JSON.stringify(flushed)}`);
