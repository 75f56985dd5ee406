/**
 * A scripted tool-calling chat model (LangChain's own `FakeListChatModel`), so the deep agent runs without an API
 * key: the main agent plans with `write_todos`, hands research to the `researcher` subagent through `task`, writes
 * the report with `write_file` and answers; the researcher notes a fact in a file, reads it back and reports. Each
 * reply is picked from the conversation (whose system prompt, how many turns so far). It reports token usage like a
 * real provider.
 */
import type { BaseMessage } from "@langchain/core/messages";
import { AIMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { FakeListChatModel } from "@langchain/core/utils/testing";

export const RESEARCHER_PROMPT = "You are the researcher: note facts in a file, read them back, report them.";

type Step = { text: string } | { tool: string; args: Record<string, unknown> };

function mainAgent(turn: number, messages: BaseMessage[]): Step {
  if (turn === 0) {
    const todos = [
      { content: "Research Lisbon", status: "in_progress" },
      { content: "Write the report", status: "pending" },
    ];
    return { tool: "write_todos", args: { todos } };
  }
  if (turn === 1)
    return { tool: "task", args: { description: "Find a fact about Lisbon", subagent_type: "researcher" } };
  if (turn === 2) {
    const result = messages.findLast((m) => m.getType() === "tool")?.content;
    const finding = typeof result === "string" ? result : JSON.stringify(result ?? "");
    return { tool: "write_file", args: { file_path: "/report.md", content: `# Lisbon\n\n${finding}\n` } };
  }
  return { text: "Done: the report is in /report.md." };
}

function researcher(turn: number): Step {
  if (turn === 0) return { tool: "write_file", args: { file_path: "/notes.md", content: "Lisbon is on the Tagus." } };
  if (turn === 1) return { tool: "read_file", args: { file_path: "/notes.md" } };
  return { text: "Lisbon lies on the Tagus estuary." };
}

let ids = 0;

export class ScriptedModel extends FakeListChatModel {
  static override lc_name() {
    return "ScriptedModel";
  }
  constructor() {
    super({ responses: [""] });
  }
  override getLsParams(options: this["ParsedCallOptions"]) {
    return { ...super.getLsParams(options), ls_provider: "fake", ls_model_name: "fake-claude" };
  }
  override bindTools(tools: unknown[]) {
    return this.withConfig({ tools } as never);
  }
  override async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const system = JSON.stringify(messages.find((m) => m.getType() === "system")?.content ?? "");
    const turn = messages.filter((m) => m.getType() === "ai").length;
    const step = system.includes(RESEARCHER_PROMPT) ? researcher(turn) : mainAgent(turn, messages);
    const message = new AIMessage({
      content: "text" in step ? step.text : "",
      tool_calls: "tool" in step ? [{ id: `call_${++ids}`, name: step.tool, args: step.args, type: "tool_call" }] : [],
      usage_metadata: {
        input_tokens: 820,
        output_tokens: 36,
        total_tokens: 856,
        input_token_details: { cache_read: 512 },
      },
      response_metadata: { model_name: "fake-claude-2026" },
    });
    return { generations: [{ text: String(message.content), message }] };
  }
}
