/** Normalises a Responses API request (`instructions` + `input`) into chat-style messages. */
import { isObject, type Loose } from "../shapes.js";

const TEXT_PARTS = new Set(["input_text", "output_text", "text"]);

/** `instructions` → system message; string input → user message; items → messages. */
export function responsesInputMessages(params: Loose): Loose[] {
  const messages: Loose[] = [];
  if (typeof params.instructions === "string" && params.instructions) {
    messages.push({ role: "system", content: params.instructions });
  }
  const input = params.input;
  if (typeof input === "string") messages.push({ role: "user", content: input });
  else if (Array.isArray(input)) for (const item of input) messages.push(itemToMessage(item));
  return messages;
}

function itemToMessage(item: unknown): Loose {
  if (typeof item === "string") return { role: "user", content: item };
  if (!isObject(item)) return { role: "user", content: null, item };
  if (typeof item.role === "string" && (item.type === undefined || item.type === "message")) {
    return { role: item.role, content: collapseContent(item.content) };
  }
  switch (item.type) {
    case "function_call":
      return {
        role: "assistant",
        content: null,
        tool_calls: [{ id: item.call_id, type: "function", function: { name: item.name, arguments: item.arguments } }],
      };
    case "function_call_output":
      return { role: "tool", tool_call_id: item.call_id, content: collapseContent(item.output) };
    case "reasoning":
      return { role: "assistant", content: null, reasoning: reasoningText(item) };
    default: {
      const type = typeof item.type === "string" ? item.type : "unknown";
      return { role: type.endsWith("_output") ? "tool" : "assistant", content: null, item_type: type, item };
    }
  }
}

/** Text-only part lists become one string; anything else (images, files) is kept as parts. */
export function collapseContent(content: unknown): unknown {
  if (!Array.isArray(content)) return content ?? null;
  let text = "";
  for (const part of content) {
    if (!isObject(part) || !TEXT_PARTS.has(part.type) || typeof part.text !== "string") return content;
    text += part.text;
  }
  return text;
}

/** Joined text of a reasoning item's summary parts (`undefined` when it has none). */
export function reasoningText(item: Loose): string | undefined {
  if (!Array.isArray(item.summary) || item.summary.length === 0) return undefined;
  const texts = item.summary
    .map((s: Loose) => (isObject(s) && typeof s.text === "string" ? s.text : ""))
    .filter(Boolean);
  return texts.length ? texts.join("\n\n") : undefined;
}
