/**
 * A Claude Agent SDK query traced by `wrapClaudeAgentQuery`: one trace with an LLM span per assistant turn, the
 * in-process MCP tool's TOOL span, and a subagent (Agent/Task tool) nested under its tool call with its own turn
 * and `Read` tool, under a user and a session; usage, the SDK's cost and session id on the root span.
 *
 * Runs with no credentials and no network: the SDK's real CLI talks to a fake Messages API in-process
 * (`ANTHROPIC_BASE_URL`), and unless PANDAPROBE_API_KEY is set, traces go to a local PandaProbe stand-in backend
 * whose received trace tree is printed.
 *   pnpm --filter @pandaprobe/example-claude-agent-sdk start
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSdkMcpServer, query as sdkQuery, tool } from "@anthropic-ai/claude-agent-sdk";
import { wrapClaudeAgentQuery } from "@pandaprobe/claude-agent-sdk";
import { PandaProbe } from "@pandaprobe/core";
import { formatTraceTree, startStandIn } from "@pandaprobe/testing";
import { z } from "zod";
import { startFakeAnthropic } from "./fake-anthropic.js";

const useStandIn = !process.env.PANDAPROBE_API_KEY;
const standIn = useStandIn ? await startStandIn({ persistDelayMs: 0 }) : undefined;
// With PANDAPROBE_API_KEY / PANDAPROBE_PROJECT_NAME / PANDAPROBE_ENDPOINT set, the client reads them.
const pandaprobe = new PandaProbe(standIn ? { ...standIn.clientOptions, flushIntervalMs: 200 } : {});

// The agent's working directory, with the notes its subagent reads.
const dir = mkdtempSync(join(tmpdir(), "claude-example-"));
writeFileSync(join(dir, "notes.txt"), "Lisbon trip: pack an umbrella.");
const fake = await startFakeAnthropic(join(dir, "notes.txt"));

const weather = createSdkMcpServer({
  name: "weather",
  version: "1.0.0",
  tools: [
    tool("get_weather", "Current weather for a city", { city: z.string() }, async ({ city }) => ({
      content: [{ type: "text", text: `${city}: 24°C and sunny` }],
    })),
  ],
});

const query = wrapClaudeAgentQuery(sdkQuery, {
  client: pandaprobe,
  userId: "user-42",
  sessionId: "session-7",
  tags: ["example"],
});

for await (const message of query({
  prompt: "What's the weather in Lisbon, and what do my travel notes say?",
  options: {
    cwd: dir,
    model: "claude-sonnet-4-5",
    mcpServers: { weather },
    allowedTools: ["mcp__weather__get_weather", "Read", "Agent", "Task"],
    settingSources: [],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      ANTHROPIC_BASE_URL: fake.baseURL, // the fake API: no Anthropic key needed
      ANTHROPIC_API_KEY: "sk-ant-example",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1", // no telemetry, error reports or update checks
    },
  },
})) {
  if (message.type === "result" && message.subtype === "success") console.log(`assistant: ${message.result}`);
}

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
await fake.close();
rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
