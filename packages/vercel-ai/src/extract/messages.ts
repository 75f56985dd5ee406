/** Maps AI SDK prompts and results onto the `{ messages: [{ role, content }] }` convention. */
import { isRecord } from "@pandaprobe/core/integration";

export interface ChatMessage {
  role: string;
  content: unknown;
  [key: string]: unknown;
}

function systemMessages(system: unknown, out: ChatMessage[]): void {
  if (typeof system === "string") {
    if (system) out.push({ role: "system", content: system });
    return;
  }
  if (system === undefined || system === null) return;
  for (const m of Array.isArray(system) ? system : [system]) {
    if (isRecord(m))
      out.push({ ...m, role: typeof m.role === "string" ? m.role : "system", content: m.content ?? null });
  }
}

/**
 * The full conversation sent to a model: system/instructions first, then `prompt` (a string
 * or messages) or `messages`. Returns undefined when there is nothing to show (recordInputs off).
 * The result is a new array (a snapshot): later changes to the AI SDK's arrays do not affect it.
 */
export function toMessages(parts: {
  system?: unknown;
  prompt?: unknown;
  messages?: unknown;
}): ChatMessage[] | undefined {
  const out: ChatMessage[] = [];
  systemMessages(parts.system, out);
  const prompt = parts.prompt;
  if (typeof prompt === "string") {
    if (prompt) out.push({ role: "user", content: prompt });
  } else pushMessages(prompt, out);
  pushMessages(parts.messages, out);
  return out.length > 0 ? out : undefined;
}

function pushMessages(list: unknown, out: ChatMessage[]): void {
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i++) {
    const m = list[i];
    if (isRecord(m) && typeof m.role === "string") out.push(m as ChatMessage);
  }
}

/** An OpenAI-style tool call entry from an AI SDK tool call (`toolCallId`, `toolName`, `input`/`args`). */
export function toToolCall(call: unknown): Record<string, unknown> | undefined {
  if (!isRecord(call)) return undefined;
  const input = call.input ?? call.args;
  return {
    id: call.toolCallId,
    type: "function",
    function: { name: call.toolName, arguments: typeof input === "string" ? input : JSON.stringify(input ?? {}) },
  };
}

/** `{ role: "assistant", content, tool_calls? }` from a text and tool calls. */
export function assistantMessage(text: unknown, toolCalls?: unknown[], reasoning?: unknown): ChatMessage {
  const message: ChatMessage = { role: "assistant", content: typeof text === "string" && text ? text : null };
  if (toolCalls && toolCalls.length > 0) {
    const calls = toolCalls.map(toToolCall).filter((c) => c !== undefined);
    if (calls.length > 0) message.tool_calls = calls;
  }
  if (typeof reasoning === "string" && reasoning) message.reasoning = reasoning;
  return message;
}

/** The assistant message of AI SDK content parts (text, reasoning, tool calls). */
export function contentToAssistant(content: unknown): ChatMessage | undefined {
  if (!Array.isArray(content) || content.length === 0) return undefined;
  let text = "";
  let reasoning = "";
  let toolCalls: unknown[] | undefined;
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (part.type === "text" && typeof part.text === "string") text += part.text;
    else if (part.type === "reasoning" && typeof part.text === "string") reasoning += part.text;
    else if (part.type === "tool-call") (toolCalls ??= []).push(part);
  }
  return assistantMessage(text, toolCalls, reasoning);
}

/** `{ messages: [assistant message] }` of AI SDK content parts; undefined when there are none. */
export function contentOutput(content: unknown): { messages: ChatMessage[] } | undefined {
  const message = contentToAssistant(content);
  return message ? { messages: [message] } : undefined;
}
