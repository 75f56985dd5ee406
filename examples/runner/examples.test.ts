/**
 * Every example, run as the README says (`pnpm example <name>`: the runner with its local PandaProbe backend and
 * fake OpenAI server), from source: it finishes, its program reports delivery, the backend received valid traces
 * under the example's user and session, and nothing is written to stderr. And the demo with a key but no project
 * name says, instead, why it sent nothing.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

function runExample(name: string, env: Record<string, string> = {}) {
  // As a user runs it: no PANDAPROBE_* of ours, and not vitest's NODE_ENV=test (the OpenAI Agents SDK turns its
  // tracing off under it).
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("PANDAPROBE_") && k !== "NODE_ENV"),
  );
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", "--tsconfig", "examples/tsconfig.json", "examples/runner/run.ts", name],
      { cwd: root, env: { ...clean, ...env } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("examples", { timeout: 60_000 }, () => {
  it("the demo (core): three chat turns and a score, under user-ada and conversation-42", async () => {
    const r = await runExample("core");
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).toContain("> What's the weather in Paris?\n  (the model called get_weather for Paris");
    expect(r.stdout).toContain("PandaProbe: 3 traces and 1 score delivered to http://127.0.0.1:");
    expect(r.stdout).toContain("3 traces and 1 score, every request valid for the PandaProbe API.");
    expect(r.stdout.match(/^chat-turn \[COMPLETED\] user=user-ada session=conversation-42/gm)).toHaveLength(3);
    // The tool runs only when the model asks for it: after the first model call of the weather turn.
    const weatherTurn = r.stdout.split("\nchat-turn ")[2];
    expect(weatherTurn.indexOf("[LLM] chat-model")).toBeLessThan(weatherTurn.indexOf("[TOOL] get_weather"));
    expect(r.stdout.split("\nchat-turn ")[1]).not.toContain("get_weather");
    expect(r.stdout).toContain('score "helpfulness" = 0.9 on trace 1 ("chat-turn")');
    expect(r.stdout).toContain("PANDAPROBE_API_KEY=sk_pp_... PANDAPROBE_PROJECT_NAME=my-first-project");
  });

  it("the demo with an API key but no project name says why nothing was sent", async () => {
    const r = await runExample("core", { PANDAPROBE_API_KEY: "sk_pp_demo", PANDAPROBE_ENDPOINT: "http://127.0.0.1:9" });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "PandaProbe sent nothing: no project name (set PANDAPROBE_PROJECT_NAME or pass projectName).",
    );
    expect(r.stderr).toContain("PandaProbe configuration problem: no project name");
  });

  it.each([
    ["openai", "weather-chat", "[TOOL] get_weather", "Here is what I found: Lisbon: 24°C and sunny"],
    ["langgraph", "travel_agent", "[TOOL] get_weather", "Here is what I found: Lisbon: 24°C and sunny"],
    ["vercel-ai", "travel-agent", "[TOOL] weather", "Here is what I found: Lisbon: 24°C and sunny"],
    ["anthropic", "weather-chat", "[TOOL] get_weather", "It is 24°C and sunny in Lisbon."],
    ["google-genai", "weather-chat", "[TOOL] get_weather", "It is 24°C and sunny in Lisbon."],
    ["mistral", "weather-chat", "[TOOL] get_weather", "It is 24°C and sunny in Lisbon."],
    ["deepagents", "DeepAgents", "[AGENT] researcher", "Done: the report is in /report.md."],
    ["claude-agent-sdk", "ClaudeAgentSDK", "[TOOL] mcp__weather__get_weather", "your notes say to pack an umbrella"],
    ["openai-agents", "weather-chat", "[TOOL] get_weather", "Lisbon is sunny, 24°C."],
    ["bedrock", "weather-chat", "[TOOL] get_weather", "It is 24°C and sunny in Lisbon."],
  ])("%s: its trace is delivered under user-42 and session-7", async (name, traceName, toolSpan, answer) => {
    // Without the AWS SDK's own notice (its documented switch) that its 2027 releases need Node 22: not ours.
    const r = await runExample(name, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).toContain("PandaProbe: the trace was delivered to http://127.0.0.1:");
    expect(r.stdout).toContain("1 trace, every request valid for the PandaProbe API.");
    expect(r.stdout).toMatch(new RegExp(`^${traceName} \\[COMPLETED\\] user=user-42 session=session-7`, "m"));
    expect(r.stdout).toContain(toolSpan);
    expect(r.stdout).toContain(answer);
  });
});
