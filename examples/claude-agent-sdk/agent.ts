/**
 * A Claude Agent SDK query traced by `wrapClaudeAgentQuery`: one trace with an LLM span per assistant turn, the
 * in-process MCP tool's TOOL span, and a subagent (Agent/Task tool) nested under its tool call with its own turn
 * and `Read` tool, under a user and a session; usage, the SDK's cost and session id on the root span.
 *
 * From the repo root: `npx -y pnpm@9.15.9 example claude-agent-sdk` (a local PandaProbe backend and a fake Messages
 * API for the SDK's real CLI, through `ANTHROPIC_BASE_URL`, are started for it; no keys, no network). As your own app
 * it needs PANDAPROBE_API_KEY, PANDAPROBE_PROJECT_NAME and ANTHROPIC_API_KEY. The agent works in the current
 * directory, whose notes.txt its subagent reads.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSdkMcpServer, query as sdkQuery, tool } from "@anthropic-ai/claude-agent-sdk";
import { wrapClaudeAgentQuery } from "@pandaprobe/claude-agent-sdk";
import { init } from "@pandaprobe/core";
import { z } from "zod";

const pandaprobe = init(); // PANDAPROBE_API_KEY, PANDAPROBE_PROJECT_NAME, PANDAPROBE_ENDPOINT

// A home of its own for the CLI (no user settings or history), removed at the end.
const home = mkdtempSync(join(tmpdir(), "claude-example-home-"));

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
  userId: "user-42",
  sessionId: "session-7",
  tags: ["example"],
});

for await (const message of query({
  prompt: "What's the weather in Lisbon, and what do my travel notes say?",
  options: {
    cwd: process.cwd(),
    model: "claude-sonnet-4-5",
    mcpServers: { weather },
    allowedTools: ["mcp__weather__get_weather", "Read", "Agent", "Task"],
    settingSources: [],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: home,
      ANTHROPIC_API_KEY: process.env.ANTHROPIC_API_KEY ?? "",
      ...(process.env.ANTHROPIC_BASE_URL ? { ANTHROPIC_BASE_URL: process.env.ANTHROPIC_BASE_URL } : {}),
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1", // no telemetry, error reports or update checks
    },
  },
})) {
  if (message.type === "result" && message.subtype === "success") console.log(`assistant: ${message.result}`);
}

rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });

// Before a script or a serverless function ends: deliver what was recorded, and see whether it all arrived.
const flushed = await pandaprobe.shutdown();
if (flushed.disabled) console.log(`PandaProbe sent nothing: ${flushed.disabled}.`);
else if (flushed.ok) console.log(`PandaProbe: the trace was delivered to ${pandaprobe.config.endpoint}.`);
else console.log(`PandaProbe: not everything was delivered: ${JSON.stringify(flushed)}`);
