/**
 * A deep agent (`deepagents`) driven by a scripted chat model built on LangChain's `FakeListChatModel`: the main
 * agent plans with the todo tool, delegates research to the `researcher` subagent through the `task` tool, writes
 * its report with the file tools and answers; the researcher writes its notes to a file, reads them back and
 * reports. Each reply is picked from the conversation it is given (whose system prompt, how many turns so far).
 */
import type { Frameworks } from "./frameworks.js";
import { USAGE } from "./scripted-model.js";

export const DEEP_MODEL = "scripted-deep-model";
const RESEARCHER = "You are RESEARCHER";

const typeOf = (m: any): string | undefined => m?._getType?.() ?? m?.getType?.() ?? m?.type;
const textOf = (m: any): string => (typeof m?.content === "string" ? m.content : JSON.stringify(m?.content ?? ""));

interface Step {
  text?: string;
  call?: { name: string; args: Record<string, unknown> };
}

/** The main agent's script, by the number of turns it already had. */
function mainStep(turn: number, messages: any[]): Step {
  switch (turn) {
    case 0:
      return {
        call: {
          name: "write_todos",
          args: {
            todos: [
              { content: "Research Lisbon", status: "in_progress" },
              { content: "Write the report", status: "pending" },
            ],
          },
        },
      };
    case 1:
      return {
        call: { name: "task", args: { description: "Find one fact about Lisbon", subagent_type: "researcher" } },
      };
    case 2: {
      const report = textOf([...messages].reverse().find((m) => typeOf(m) === "tool"));
      return { call: { name: "write_file", args: { file_path: "/report.md", content: `# Lisbon\n\n${report}` } } };
    }
    default:
      return { text: "The report is in /report.md." };
  }
}

/** The researcher's script. */
function researcherStep(turn: number): Step {
  switch (turn) {
    case 0:
      return {
        call: { name: "write_file", args: { file_path: "/notes.md", content: "Lisbon is the capital of Portugal." } },
      };
    case 1:
      return { call: { name: "read_file", args: { file_path: "/notes.md" } } };
    default:
      return { text: "Lisbon is the capital of Portugal." };
  }
}

export function makeDeepAgentModel(fw: Frameworks): new () => any {
  const { FakeListChatModel, AIMessage } = fw;
  let calls = 0;
  return class ScriptedDeepModel extends FakeListChatModel {
    static lc_name() {
      return "ScriptedDeepModel";
    }
    constructor() {
      super({ responses: ["unused"] });
    }
    _llmType() {
      return "scripted";
    }
    getLsParams() {
      return { ls_provider: "scripted", ls_model_name: DEEP_MODEL, ls_model_type: "chat" };
    }
    bindTools(tools: any[]) {
      return this.withConfig({ tools } as any);
    }
    async _generate(messages: any[]) {
      const system = messages.find((m) => typeOf(m) === "system");
      const turn = messages.filter((m) => typeOf(m) === "ai").length;
      const step = textOf(system).includes(RESEARCHER) ? researcherStep(turn) : mainStep(turn, messages);
      const message = new AIMessage({
        content: step.text ?? "",
        tool_calls: step.call ? [{ ...step.call, id: `call_${step.call.name}_${++calls}`, type: "tool_call" }] : [],
        usage_metadata: USAGE,
        response_metadata: { model_name: DEEP_MODEL, finish_reason: step.call ? "tool_calls" : "stop" },
      });
      return { generations: [{ text: step.text ?? "", message }] };
    }
  };
}

/** The deep agent: todo planning, the file tools, and the `researcher` subagent. */
export function deepAgent(fw: Frameworks, name?: string) {
  const Model = makeDeepAgentModel(fw);
  const model = new Model();
  return fw.createDeepAgent!({
    model,
    name,
    systemPrompt: "You write short research reports.",
    middleware: [fw.todoListMiddleware!()],
    subagents: [
      {
        name: "researcher",
        description: "Finds facts and writes them down.",
        systemPrompt: `${RESEARCHER}: find facts, note them in a file, report them.`,
        model,
      },
    ],
  });
}
