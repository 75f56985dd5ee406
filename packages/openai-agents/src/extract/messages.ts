/**
 * Agents SDK model input and Responses API output items -> the messages convention (`{ role, content }`, chat-style
 * `tool_calls` / `tool_call_id`). The SDK's own items (`function_call` with `callId`, `function_call_result`) and the
 * Responses API's wire items (`call_id`, `function_call_output`) are both read, so a response span's `_input` (SDK
 * items) and `_response.output` (wire items) come out alike.
 */
import { isRecord } from "@pandaprobe/core/integration";

type Obj = Record<string, unknown>;
export type Message = Obj & { role: string; content: unknown };

const TEXT_PARTS = new Set(["input_text", "output_text", "text"]);

/** Text-only content parts become one string; anything else (images, files, audio) is kept as the parts. */
export function collapseContent(content: unknown): unknown {
  if (!Array.isArray(content)) return content ?? null;
  let text = "";
  for (const part of content) {
    if (!isRecord(part) || !TEXT_PARTS.has(part.type as string) || typeof part.text !== "string") return content;
    text += part.text;
  }
  return text;
}

/** A tool result as the model sees it: text outputs as their text, anything else as it is. */
function toolOutput(output: unknown): unknown {
  if (isRecord(output) && output.type === "text" && typeof output.text === "string") return output.text;
  return collapseContent(output);
}

const callId = (item: Obj): unknown => item.callId ?? item.call_id;

/** One item as a message; undefined for items that carry nothing to read (reasoning, references). */
export function itemToMessage(item: unknown): Message | undefined {
  if (typeof item === "string") return { role: "user", content: item };
  if (!isRecord(item)) return undefined;
  if (typeof item.role === "string" && (item.type === undefined || item.type === "message")) {
    const content = collapseContent(item.content);
    if (Array.isArray(item.content) && content === item.content) {
      const refusal = item.content.find((p) => isRecord(p) && p.type === "refusal") as Obj | undefined;
      if (refusal && item.content.length === 1) return { role: item.role, content: null, refusal: refusal.refusal };
    }
    return { role: item.role, content };
  }
  switch (item.type) {
    case "function_call":
      return {
        role: "assistant",
        content: null,
        tool_calls: [{ id: callId(item), type: "function", function: { name: item.name, arguments: item.arguments } }],
      };
    case "function_call_result":
    case "function_call_output":
      return { role: "tool", tool_call_id: callId(item), content: toolOutput(item.output) };
    case "reasoning":
    case "item_reference":
    case "compaction":
      return undefined;
    default: {
      const type = typeof item.type === "string" ? item.type : "unknown";
      const result = type.endsWith("_output") || type.endsWith("_result");
      return { role: result ? "tool" : "assistant", content: null, item_type: type, item };
    }
  }
}

/** `instructions` as a system message, then the input (a string is one user message, a list is items). */
export function inputMessages(instructions: unknown, input: unknown): Message[] {
  const out: Message[] = [];
  if (typeof instructions === "string" && instructions) out.push({ role: "system", content: instructions });
  if (typeof input === "string") out.push({ role: "user", content: input });
  else if (Array.isArray(input)) pushItems(out, input);
  return out;
}

/** Output items as messages: consecutive assistant text and tool calls merge into one assistant message. */
export function outputMessages(items: unknown): Message[] {
  const out: Message[] = [];
  if (Array.isArray(items)) pushItems(out, items);
  return out;
}

function pushItems(out: Message[], items: unknown[]): void {
  for (const item of items) {
    const message = itemToMessage(item);
    if (!message) continue;
    const last = out[out.length - 1];
    // A function call right after assistant text (or another call) belongs to the same assistant turn.
    if (last?.role === "assistant" && message.role === "assistant" && message.tool_calls && !last.item_type) {
      last.tool_calls = [...((last.tool_calls as unknown[]) ?? []), ...(message.tool_calls as unknown[])];
      continue;
    }
    out.push(message);
  }
}

/** The joined summary text of the reasoning items among `items`, if any. */
export function reasoningSummary(items: unknown): string | undefined {
  if (!Array.isArray(items)) return undefined;
  const texts: string[] = [];
  for (const item of items) {
    if (!isRecord(item) || item.type !== "reasoning" || !Array.isArray(item.summary)) continue;
    for (const s of item.summary) if (isRecord(s) && typeof s.text === "string" && s.text) texts.push(s.text);
  }
  return texts.length ? texts.join("\n\n") : undefined;
}

/** The function calls among output items: what a following function span executes (for its tool call id). */
export function functionCalls(items: unknown): Array<{ id: string; name: unknown; arguments: unknown }> {
  const calls: Array<{ id: string; name: unknown; arguments: unknown }> = [];
  if (!Array.isArray(items)) return calls;
  for (const item of items) {
    if (!isRecord(item) || item.type !== "function_call") continue;
    const id = callId(item);
    if (typeof id === "string") calls.push({ id, name: item.name, arguments: item.arguments });
  }
  return calls;
}
