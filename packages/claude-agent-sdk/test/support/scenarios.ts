/** The scripted conversations of the suites (see `fake-anthropic.ts` for how a request finds its script). */
import { join } from "node:path";
import { AGENT_TOOL, type Scenario, type Turn } from "./fake-anthropic.js";

/** Usage of the scripted turns: input, output and cache figures all different, so sums show what was counted. */
export const U1 = { input: 100, output: 20, cacheRead: 50, cacheWrite: 10 };
export const U2 = { input: 120, output: 8, cacheRead: 60 };
export const SUB1 = { input: 30, output: 5 };
export const SUB2 = { input: 40, output: 6 };

/** The main agent calls the in-process MCP tool `get_weather`, then answers. */
export function weatherScenario(): Scenario {
  return {
    main: [
      {
        blocks: [
          { type: "thinking", thinking: "The user wants the weather." },
          { type: "text", text: "Let me check." },
          { type: "tool_use", id: "toolu_weather_1", name: "mcp__weather__get_weather", input: { city: "Paris" } },
        ],
        usage: U1,
      },
      { blocks: [{ type: "text", text: "It is 21C in Paris." }], usage: U2 },
    ],
  };
}

/** The main agent delegates to a subagent (Task/Agent tool, foreground), which reads `notes.txt`, then answers. */
export function subagentScenario(name: string, dir: string, background = false): Scenario {
  const launch: Turn = {
    blocks: [
      { type: "text", text: "Delegating." },
      {
        type: "tool_use",
        id: `toolu_task_${name}`,
        name: AGENT_TOOL,
        input: {
          description: "read the notes",
          prompt: `[[${name}/sub]] Read notes.txt and report.`,
          subagent_type: "general-purpose",
          run_in_background: background,
        },
      },
    ],
    usage: U1,
  };
  return {
    main: [launch, { blocks: [{ type: "text", text: "The notes say hello." }], usage: U2 }],
    sub: [
      {
        blocks: [
          { type: "tool_use", id: `toolu_read_${name}`, name: "Read", input: { file_path: join(dir, "notes.txt") } },
        ],
        usage: SUB1,
      },
      { blocks: [{ type: "text", text: "The notes say hello." }], usage: SUB2 },
    ],
  };
}

/** One plain answer. */
export function answerScenario(text = "Hello!", extra: Partial<Turn> = {}): Scenario {
  return { main: [{ blocks: [{ type: "text", text }], usage: U2, ...extra }] };
}
