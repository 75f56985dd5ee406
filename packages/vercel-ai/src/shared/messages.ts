/** Maps AI SDK prompts and results onto the `{ messages: [{ role, content }] }` convention. */

export interface ChatMessage {
  role: string;
  content: unknown;
  [key: string]: unknown;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function systemMessages(system: unknown): ChatMessage[] {
  if (typeof system === "string") return system ? [{ role: "system", content: system }] : [];
  const list = Array.isArray(system) ? system : system === undefined || system === null ? [] : [system];
  return list.filter(isRecord).map((m) => ({ ...m, role: typeof m.role === "string" ? m.role : "system", content: m.content ?? null }));
}

/**
 * The full conversation sent to a model: system/instructions first, then `prompt` (a string
 * or messages) or `messages`. Returns undefined when there is nothing to show (recordInputs off).
 */
export function toMessages(parts: { system?: unknown; prompt?: unknown; messages?: unknown }): ChatMessage[] | undefined {
  const out: ChatMessage[] = systemMessages(parts.system);
  if (typeof parts.prompt === "string" && parts.prompt) out.push({ role: "user", content: parts.prompt });
  for (const list of [parts.prompt, parts.messages]) {
    if (!Array.isArray(list)) continue;
    for (const m of list) if (isRecord(m) && typeof m.role === "string") out.push(m as ChatMessage);
  }
  return out.length > 0 ? out : undefined;
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
  const calls = (toolCalls ?? []).map(toToolCall).filter((c) => c !== undefined);
  if (calls.length > 0) message.tool_calls = calls;
  if (typeof reasoning === "string" && reasoning) message.reasoning = reasoning;
  return message;
}

/** The assistant message of AI SDK content parts (text, reasoning, tool calls). */
export function contentToAssistant(content: unknown): ChatMessage | undefined {
  if (!Array.isArray(content) || content.length === 0) return undefined;
  let text = "";
  let reasoning = "";
  const toolCalls: unknown[] = [];
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (part.type === "text" && typeof part.text === "string") text += part.text;
    else if (part.type === "reasoning" && typeof part.text === "string") reasoning += part.text;
    else if (part.type === "tool-call") toolCalls.push(part);
  }
  return assistantMessage(text, toolCalls, reasoning);
}

/** Parses a JSON string attribute; returns the raw value when it is not JSON. */
export function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
