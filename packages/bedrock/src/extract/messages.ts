/**
 * Bedrock conversations -> the messages convention (`{ role, content }`, assistant `tool_calls`, `tool` messages).
 * Reads both content-block dialects that travel through Bedrock: Converse's (and Amazon Nova's) keyed blocks
 * (`{ text }`, `{ toolUse }`, `{ toolResult }`, `{ reasoningContent }`, `{ image }`, ...) and Anthropic's typed blocks
 * (`{ type: "text" }`, `tool_use`, `tool_result`, `thinking`, `image`, ...). Messages whose content is a string (Mistral,
 * OpenAI-compatible models) pass through.
 */
import { isLoose, type Loose, META } from "@pandaprobe/core/integration";

/** A message in the messages convention. */
export type Message = Loose & { role: string; content: unknown };

/** An assistant reply: its message, the text of its reasoning and how many reasoning blocks came redacted (kept out of the message). */
export interface Reply {
  message: Message;
  reasoning?: string;
  redacted?: number;
}

/** Span metadata for a reply's reasoning: `reasoning_summary`, `redacted_reasoning`. */
export function reasoningMetadata(reply: Omit<Reply, "message">): Record<string, unknown> | undefined {
  if (!reply.reasoning && !reply.redacted) return undefined;
  const out: Record<string, unknown> = {};
  if (reply.reasoning) out[META.REASONING_SUMMARY] = reply.reasoning;
  if (reply.redacted) out[META.REDACTED_REASONING] = reply.redacted;
  return out;
}

/** `system` (a string, or Converse / Anthropic text blocks) and `messages` as messages-convention messages. */
export function toMessages(messages: unknown, system?: unknown): Message[] {
  const out: Message[] = [];
  const systemText = textOf(system);
  if (systemText !== undefined) out.push({ role: "system", content: systemText });
  if (!Array.isArray(messages)) return out;
  for (const m of messages) {
    if (!isLoose(m)) continue;
    const role = typeof m.role === "string" ? m.role : "user";
    if (!Array.isArray(m.content)) {
      out.push({ ...m, role, content: m.content ?? null });
      continue;
    }
    const parts = readBlocks(m.content);
    for (const result of parts.toolResults) out.push(result);
    if (parts.content === undefined && !parts.toolCalls && parts.reasoning === undefined && parts.toolResults.length) {
      continue; // a user turn that only carries tool results
    }
    out.push(message(role, parts.content, parts.toolCalls, parts.reasoning));
  }
  return out;
}

/** The assistant message of a reply's content blocks (Converse `output.message.content`, Anthropic `content`). */
export function replyOf(blocks: unknown, role = "assistant"): Reply {
  const parts = readBlocks(Array.isArray(blocks) ? blocks : []);
  return {
    message: message(role, parts.content, parts.toolCalls),
    reasoning: parts.reasoning || undefined,
    redacted: parts.redacted || undefined,
  };
}

/** Text of a system prompt: a string, or the text blocks of a list joined with newlines. */
function textOf(system: unknown): string | undefined {
  if (typeof system === "string") return system || undefined;
  if (!Array.isArray(system)) return undefined;
  const texts: string[] = [];
  for (const block of system) {
    const text = blockText(block);
    if (text !== undefined) texts.push(text);
  }
  return texts.length ? texts.join("\n") : undefined;
}

interface Parts {
  /** Text (joined) when every content block is text, the blocks otherwise; undefined when there are none. */
  content: unknown;
  toolCalls?: Loose[];
  toolResults: Message[];
  reasoning?: string;
  redacted: number;
}

function message(role: string, content: unknown, toolCalls?: Loose[], reasoning?: string): Message {
  const m: Message = { role: role === "model" ? "assistant" : role, content: content ?? (toolCalls ? null : "") };
  if (toolCalls) m.tool_calls = toolCalls;
  if (reasoning) m.reasoning = reasoning;
  return m;
}

function readBlocks(blocks: unknown[]): Parts {
  const content: unknown[] = [];
  let allText = true;
  let toolCalls: Loose[] | undefined;
  const toolResults: Message[] = [];
  let reasoning: string | undefined;
  let redacted = 0;
  for (const block of blocks) {
    if (!isLoose(block)) continue;
    if (block.type === "redacted_thinking" || block.reasoningContent?.redactedContent !== undefined) {
      redacted++; // encrypted: nothing readable to record
      continue;
    }
    const toolCall = toolCallOf(block);
    if (toolCall) {
      (toolCalls ??= []).push(toolCall);
      continue;
    }
    const result = toolResultOf(block);
    if (result) {
      toolResults.push(result);
      continue;
    }
    const thought = reasoningOf(block);
    if (thought !== undefined) {
      reasoning = reasoning === undefined ? thought : reasoning + thought;
      continue;
    }
    if (block.cachePoint || block.type === "cache_point") continue; // a cache marker, not content
    const text = blockText(block);
    if (text === undefined) allText = false;
    content.push(text === undefined ? block : { text });
  }
  return {
    content: content.length === 0 ? undefined : allText ? content.map((b) => (b as Loose).text).join("") : content,
    toolCalls,
    toolResults,
    reasoning,
    redacted,
  };
}

/** Text of a text block: Converse `{ text }` / `{ guardContent: { text: { text } } }`, Anthropic `{ type: "text", text }`. */
function blockText(block: unknown): string | undefined {
  if (!isLoose(block)) return undefined;
  if (typeof block.text === "string" && (block.type === undefined || block.type === "text")) return block.text;
  const guarded = block.guardContent?.text?.text;
  return typeof guarded === "string" ? guarded : undefined;
}

/** Converse `{ toolUse: { toolUseId, name, input } }` or Anthropic `{ type: "tool_use", id, name, input }`. */
function toolCallOf(block: Loose): Loose | undefined {
  const use = isLoose(block.toolUse) ? block.toolUse : block.type === "tool_use" ? block : undefined;
  if (!use) return undefined;
  const input = use.input;
  return {
    id: use.toolUseId ?? use.id,
    type: "function",
    function: { name: use.name, arguments: typeof input === "string" ? input : JSON.stringify(input ?? {}) },
  };
}

/** Converse `{ toolResult: { toolUseId, content, status } }` or Anthropic `{ type: "tool_result", tool_use_id, content }`. */
function toolResultOf(block: Loose): Message | undefined {
  const result = isLoose(block.toolResult) ? block.toolResult : block.type === "tool_result" ? block : undefined;
  if (!result) return undefined;
  const m: Message = {
    role: "tool",
    tool_call_id: result.toolUseId ?? result.tool_use_id,
    content: resultContent(result.content),
  };
  if (result.status === "error" || result.is_error === true) m.is_error = true;
  return m;
}

/** A tool result's content: its text (JSON parts as JSON text) when that is all it holds, else its blocks. */
function resultContent(content: unknown): unknown {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return content === undefined ? null : JSON.stringify(content);
  let text = "";
  for (const part of content) {
    const t = blockText(part);
    if (t !== undefined) text += t;
    else if (isLoose(part) && part.json !== undefined) text += JSON.stringify(part.json);
    else return content;
  }
  return text;
}

/** Converse `{ reasoningContent: { reasoningText: { text } } }` or Anthropic `{ type: "thinking", thinking }`. */
function reasoningOf(block: Loose): string | undefined {
  if (isLoose(block.reasoningContent)) {
    const text = block.reasoningContent.reasoningText?.text ?? block.reasoningContent.text;
    return typeof text === "string" ? text : "";
  }
  if (block.type === "thinking") return typeof block.thinking === "string" ? block.thinking : "";
  return undefined;
}
