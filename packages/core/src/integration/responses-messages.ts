/**
 * OpenAI Responses API items -> the messages convention (`{ role, content }`, chat-style `tool_calls` /
 * `tool_call_id`), for every integration that sees them (the OpenAI client's `responses.create`, the OpenAI Agents
 * SDK's model calls). The wire items (`call_id`, `function_call_output`) and the Agents SDK's own (`callId`,
 * `function_call_result`) are both read, so the same conversation comes out alike from either.
 */
import { isRecord } from "./values.js";

type Obj = Record<string, unknown>;
/** A message of the messages convention. */
export type ResponsesMessage = Obj & { role: string; content: unknown };

const TEXT_PARTS = new Set(["input_text", "output_text", "text"]);

/** Text-only content parts (`input_text`, `output_text`, `text`) as one string; anything else (images, files, audio) kept as the parts. */
export function collapseTextContent(content: unknown): unknown {
  if (!Array.isArray(content)) return content ?? null;
  let text = "";
  for (const part of content) {
    if (!isRecord(part) || !TEXT_PARTS.has(part.type as string) || typeof part.text !== "string") return content;
    text += part.text;
  }
  return text;
}

/** The joined text of a `reasoning` item's summary parts (undefined when it has none). */
export function reasoningText(item: unknown): string | undefined {
  if (!isRecord(item) || !Array.isArray(item.summary)) return undefined;
  const texts: string[] = [];
  for (const s of item.summary) if (isRecord(s) && typeof s.text === "string" && s.text) texts.push(s.text);
  return texts.length ? texts.join("\n\n") : undefined;
}

/** The joined summary text of the `reasoning` items among `items` (`reasoning_summary`), if any. */
export function reasoningSummary(items: unknown): string | undefined {
  if (!Array.isArray(items)) return undefined;
  const texts: string[] = [];
  for (const item of items) {
    if (!isRecord(item) || item.type !== "reasoning") continue;
    const text = reasoningText(item);
    if (text) texts.push(text);
  }
  return texts.length ? texts.join("\n\n") : undefined;
}

/**
 * `instructions` as a system message, then the input: a string is one user message, a list is items. Reasoning
 * items are kept (the model reads them) unless `options.reasoning` is false (the OpenAI Agents SDK's spans leave
 * them out).
 */
export function responsesInputMessages(
  instructions: unknown,
  input: unknown,
  options?: { reasoning?: boolean },
): ResponsesMessage[] {
  const out: ResponsesMessage[] = [];
  if (typeof instructions === "string" && instructions) out.push({ role: "system", content: instructions });
  if (typeof input === "string") out.push({ role: "user", content: input });
  else if (Array.isArray(input)) pushItems(out, input, options?.reasoning !== false);
  return out;
}

/** Output items as messages (reasoning left out: it is the span's `reasoning_summary`). */
export function responsesOutputMessages(items: unknown): ResponsesMessage[] {
  const out: ResponsesMessage[] = [];
  if (Array.isArray(items)) pushItems(out, items, false);
  return out;
}

/** Consecutive assistant text and tool calls merge into one assistant message (one turn of the model). */
function pushItems(out: ResponsesMessage[], items: unknown[], reasoning: boolean): void {
  for (const item of items) {
    const message = itemMessage(item, reasoning);
    if (!message) continue;
    const last = out[out.length - 1];
    // A function call right after assistant text (or another call) belongs to the same assistant turn.
    if (
      last?.role === "assistant" &&
      message.role === "assistant" &&
      message.tool_calls &&
      !last.item_type &&
      !last.reasoning
    ) {
      last.tool_calls = [...((last.tool_calls as unknown[]) ?? []), ...(message.tool_calls as unknown[])];
      continue;
    }
    out.push(message);
  }
}

const callId = (item: Obj): unknown => item.callId ?? item.call_id;

/** A tool result as the model sees it: a text output as its text, anything else as it is. */
function toolOutput(output: unknown): unknown {
  if (isRecord(output) && output.type === "text" && typeof output.text === "string") return output.text;
  return collapseTextContent(output);
}

/** One item as a message; undefined for items with nothing to read (references, compaction, summary-less reasoning). */
function itemMessage(item: unknown, reasoning: boolean): ResponsesMessage | undefined {
  if (typeof item === "string") return { role: "user", content: item };
  if (!isRecord(item)) return undefined;
  if (typeof item.role === "string" && (item.type === undefined || item.type === "message")) {
    const content = collapseTextContent(item.content);
    if (Array.isArray(item.content) && content === item.content && item.content.length === 1) {
      const part = item.content[0];
      if (isRecord(part) && part.type === "refusal") return { role: item.role, content: null, refusal: part.refusal };
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
    case "reasoning": {
      const text = reasoning ? reasoningText(item) : undefined;
      return text ? { role: "assistant", content: null, reasoning: text } : undefined;
    }
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
