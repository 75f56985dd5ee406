/**
 * Mistral messages (the SDK's camelCase objects) in the messages convention PandaProbe's SDKs share: `tool_calls`,
 * `tool_call_id`, as the Python SDK records Mistral's own snake_case messages. Content is kept as sent, except that
 * a reply's content chunks become its text, and its thinking chunks its reasoning.
 */
import { isLoose, type Loose } from "@pandaprobe/core/integration";

/** A message of the request, with its keys in the convention's spelling (content untouched). */
export function inputMessage(message: unknown): unknown {
  if (!isLoose(message)) return message;
  const out: Loose = { role: message.role ?? "user", content: message.content ?? null };
  const toolCalls = message.toolCalls ?? message.tool_calls;
  if (Array.isArray(toolCalls) && toolCalls.length > 0) out.tool_calls = toolCalls.map(toolCall);
  const toolCallId = message.toolCallId ?? message.tool_call_id;
  if (typeof toolCallId === "string") out.tool_call_id = toolCallId;
  if (typeof message.name === "string") out.name = message.name;
  if (message.prefix === true) out.prefix = true;
  return out;
}

/** The request's messages in the convention (`undefined` when there are none). */
export function inputMessages(messages: unknown): { messages: unknown[] } | undefined {
  return Array.isArray(messages) ? { messages: messages.map(inputMessage) } : undefined;
}

/** A tool call as the convention spells it (`arguments` kept as Mistral sent it: a JSON string, or an object). */
export function toolCall(call: unknown): unknown {
  if (!isLoose(call)) return call;
  const fn: Loose = isLoose(call.function) ? call.function : {};
  return { id: call.id, type: call.type ?? "function", function: { name: fn.name, arguments: fn.arguments } };
}

/** The text and the reasoning of a reply's content: a string, or Mistral's chunks (`text`, `thinking`, ...). */
export interface ContentParts {
  text: string | undefined;
  reasoning: string | undefined;
  /** Chunks that are neither text nor thinking (references, images): kept as they are. */
  other: unknown[] | undefined;
}

/** Splits a reply's content into its text, its reasoning and anything else. */
export function contentParts(content: unknown): ContentParts {
  const parts: ContentParts = { text: undefined, reasoning: undefined, other: undefined };
  addContent(parts, content);
  return parts;
}

/** Adds `content` (a string, or content chunks) to `parts`; true when it carried text or reasoning. */
export function addContent(parts: ContentParts, content: unknown): boolean {
  if (typeof content === "string") {
    if (content === "") return false;
    parts.text = (parts.text ?? "") + content;
    return true;
  }
  if (!Array.isArray(content)) return false;
  let added = false;
  for (const chunk of content) {
    if (!isLoose(chunk)) continue;
    if (chunk.type === "text" && typeof chunk.text === "string") {
      parts.text = (parts.text ?? "") + chunk.text;
      added = true;
    } else if (chunk.type === "thinking") {
      const thought = thinkingText(chunk.thinking);
      if (thought) parts.reasoning = (parts.reasoning ?? "") + thought;
      added = true;
    } else {
      (parts.other ??= []).push(chunk);
      added = true;
    }
  }
  return added;
}

/** The text of a thinking chunk's own chunks. */
function thinkingText(thinking: unknown): string {
  if (typeof thinking === "string") return thinking;
  if (!Array.isArray(thinking)) return "";
  let text = "";
  for (const part of thinking) if (isLoose(part) && typeof part.text === "string") text += part.text;
  return text;
}

/** The assistant message of a reply: its text as `content` (other chunks kept after it), tool calls as `tool_calls`. */
export function replyMessage(parts: ContentParts, toolCalls: unknown[] | undefined): Loose {
  const message: Loose = { role: "assistant", content: parts.text ?? null };
  if (parts.other)
    message.content = parts.text === undefined ? parts.other : [{ type: "text", text: parts.text }, ...parts.other];
  if (toolCalls && toolCalls.length > 0) message.tool_calls = toolCalls;
  return message;
}
