/**
 * A Messages API request in the messages convention: `system` as a system message, then `messages`, with
 * `tool_use` blocks as the assistant's `tool_calls` and `tool_result` blocks as `tool` messages. Text-only content
 * becomes a string; other blocks are kept as parts (scrubbed: images and documents without their bytes).
 */
import { isLoose, type Loose } from "@pandaprobe/core/integration";
import { scrub } from "./scrub.js";

/** The request parts the span input is built from (arrays copied at call time: callers push onto them right after). */
export interface RawInput {
  system: unknown;
  messages: unknown;
}

export function captureInput(params: Loose): RawInput {
  return {
    system: Array.isArray(params.system) ? params.system.slice() : params.system,
    messages: Array.isArray(params.messages) ? params.messages.slice() : params.messages,
  };
}

/** `{ messages }` of a request (built when the span is recorded). */
export function inputMessages(raw: RawInput): { messages: Loose[] } {
  const messages: Loose[] = [];
  if (raw.system !== undefined && raw.system !== null && raw.system !== "") {
    messages.push({ role: "system", content: collapse(raw.system) });
  }
  if (Array.isArray(raw.messages)) for (const m of raw.messages) pushMessage(messages, m);
  return { messages };
}

function pushMessage(out: Loose[], m: unknown): void {
  if (!isLoose(m)) return;
  const role = typeof m.role === "string" ? m.role : "user";
  const content = m.content;
  if (!Array.isArray(content)) {
    out.push({ role, content: content ?? null });
    return;
  }
  let parts: unknown[] | undefined;
  let toolCalls: Loose[] | undefined;
  for (const block of content) {
    if (!isLoose(block)) {
      (parts ??= []).push(block);
      continue;
    }
    switch (block.type) {
      case "tool_use":
        (toolCalls ??= []).push(toolCall(block));
        break;
      case "tool_result":
        // Anthropic puts tool results first in the user's turn; they answer the previous assistant turn.
        out.push(toolMessage(block));
        break;
      case "thinking":
      case "redacted_thinking":
        break; // earlier reasoning sent back as is: opaque to the reader, and signed
      default:
        (parts ??= []).push(block);
    }
  }
  if (parts === undefined && toolCalls === undefined) return; // only tool results
  const message: Loose = { role, content: parts ? collapse(parts) : null };
  if (toolCalls) message.tool_calls = toolCalls;
  out.push(message);
}

/** A `tool_use` block as a chat-style tool call (arguments as a JSON string). */
export function toolCall(block: Loose): Loose {
  let args: string;
  try {
    args = JSON.stringify(block.input ?? {}) ?? "{}";
  } catch {
    args = "{}";
  }
  return { id: block.id, type: "function", function: { name: block.name, arguments: args } };
}

function toolMessage(block: Loose): Loose {
  const message: Loose = { role: "tool", tool_call_id: block.tool_use_id, content: collapse(block.content ?? "") };
  if (block.is_error === true) message.is_error = true;
  return message;
}

/** Text blocks joined into one string; anything else kept as (scrubbed) parts. */
export function collapse(content: unknown): unknown {
  if (!Array.isArray(content)) return typeof content === "string" ? content : scrub(content);
  let text = "";
  for (const part of content) {
    if (!isLoose(part) || part.type !== "text" || typeof part.text !== "string") return scrub(content);
    text += part.text;
  }
  return text;
}
