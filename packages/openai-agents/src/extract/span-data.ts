/**
 * How each Agents SDK span type is recorded: its name and kind when it starts, and what it records when it ends
 * (model calls: see llm.ts).
 *
 * | SDK span             | kind  | name                  | records                                                     |
 * | -------------------- | ----- | --------------------- | ----------------------------------------------------------- |
 * | task (one run)       | CHAIN | the workflow name     | first model input / last model output of the run            |
 * | agent                | AGENT | the agent's name      | first model input / last model output; `tools`, `handoffs`  |
 * | turn                 | CHAIN | `turn <n>`            |                                                             |
 * | response, generation | LLM   | `response`, `generation` | messages, model, usage, parameters (llm.ts)              |
 * | function (tool, MCP) | TOOL  | the tool's name       | arguments, result, `tool_call_id`; MCP: `server_label`      |
 * | mcp_tools            | TOOL  | `mcp_list_tools`      | the tools listed; `server_label`                            |
 * | handoff              | TOOL  | `handoff`             | `from_agent`, `to_agent`                                    |
 * | guardrail            | CHAIN | the guardrail's name  | `guardrail_triggered`                                       |
 * | custom               | OTHER | its name              | its data as metadata                                        |
 * | transcription/speech | LLM   | the type              | model, text (never the audio)                               |
 */
import type { SpanKind } from "@pandaprobe/core";
import { compact, isRecord, META, parseJsonOrRaw, pickModelParameters } from "@pandaprobe/core/integration";

type Obj = Record<string, unknown>;

export interface SpanStart {
  name: string;
  kind: SpanKind;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);
const list = (v: unknown): unknown[] | undefined => (Array.isArray(v) && v.length > 0 ? v.slice() : undefined);

/** The name and kind of an SDK span, from its type (and the data it has when it starts). */
export function spanStart(data: Obj): SpanStart {
  const type = String(data.type);
  switch (type) {
    case "agent":
      return { name: str(data.name) ?? "Agent", kind: "AGENT" };
    case "task":
      return { name: str(data.name) ?? "task", kind: "CHAIN" };
    case "turn":
      return { name: `turn ${typeof data.turn === "number" ? data.turn : ""}`.trim(), kind: "CHAIN" };
    case "response":
    case "generation":
    case "transcription":
    case "speech":
      return { name: type, kind: "LLM" };
    case "function":
      return { name: str(data.name) ?? "function", kind: "TOOL" };
    case "mcp_tools":
      return { name: "mcp_list_tools", kind: "TOOL" };
    case "handoff":
      return { name: "handoff", kind: "TOOL" };
    case "guardrail":
      return { name: str(data.name) ?? "guardrail", kind: "CHAIN" };
    case "speech_group":
      return { name: "speech_group", kind: "CHAIN" };
    default:
      return { name: str(data.name) ?? (type || "span"), kind: "OTHER" };
  }
}

/** What an ended span that is not a model call records (model calls: llm.ts). */
export interface SpanEnd {
  input?: unknown;
  output?: unknown;
  model?: string;
  modelParameters?: Obj;
  metadata?: Obj;
}

/** The record of an ended non-model span. */
export function spanEnd(data: Obj): SpanEnd | undefined {
  switch (data.type) {
    case "agent":
      return { metadata: compact({ [META.TOOLS]: list(data.tools), [META.HANDOFFS]: list(data.handoffs) }) };
    case "function": {
      const mcp = isRecord(data.mcp_data) ? data.mcp_data : parseJsonOrRaw(data.mcp_data);
      return {
        input: parseJsonOrRaw(data.input),
        output: parseJsonOrRaw(data.output, { structuredOnly: true }),
        metadata: isRecord(mcp) ? compact({ [META.SERVER_LABEL]: str(mcp.server) }) : undefined,
      };
    }
    case "mcp_tools":
      return { output: data.result, metadata: compact({ [META.SERVER_LABEL]: str(data.server) }) };
    case "handoff":
      return {
        metadata: compact({ [META.HANDOFF_FROM]: str(data.from_agent), [META.HANDOFF_TO]: str(data.to_agent) }),
      };
    case "guardrail":
      return { metadata: { [META.GUARDRAIL_TRIGGERED]: data.triggered === true } };
    case "custom":
      return { metadata: isRecord(data.data) ? { ...data.data } : undefined };
    case "transcription":
      return {
        input: isRecord(data.input) ? { format: data.input.format } : undefined,
        output: data.output,
        model: str(data.model),
        modelParameters: pickModelParameters(data.model_config),
      };
    case "speech":
      return {
        input: data.input,
        output: isRecord(data.output) ? { format: data.output.format } : undefined,
        model: str(data.model),
        modelParameters: pickModelParameters(data.model_config),
      };
    default:
      return undefined;
  }
}
