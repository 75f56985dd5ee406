/**
 * Anthropic content blocks (what the SDK's messages carry) in the messages convention: `{ role, content }` with
 * text joined, `tool_calls` in the OpenAI shape every PandaProbe integration uses, tool results as `tool` messages.
 */
import { isRecord, type Loose } from "@pandaprobe/core/integration";

/** A message's content as a list of blocks (a string is one text block). */
export function blocksOf(content: unknown): Loose[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return Array.isArray(content) ? content.filter(isRecord) : [];
}

/** Text blocks joined, when every block is text; else the blocks themselves (images, documents...). */
export function plainContent(content: unknown): unknown {
  if (typeof content === "string" || !Array.isArray(content)) return content;
  const texts: string[] = [];
  for (const b of content) {
    if (isRecord(b) && b.type === "text" && typeof b.text === "string") texts.push(b.text);
    else return content;
  }
  return texts.join("\n");
}

/** A `tool_use` block as a tool call. */
export function toolCall(block: Loose): Loose {
  let args: string;
  try {
    args = JSON.stringify(block.input ?? {});
  } catch {
    args = String(block.input);
  }
  return { id: block.id, type: "function", function: { name: block.name, arguments: args } };
}

/** A `tool_result` block as a `tool` message. */
export function toolMessage(block: Loose): Loose {
  return { role: "tool", tool_call_id: block.tool_use_id, content: plainContent(block.content) ?? "" };
}

/** The text of a tool result (for an error message or a subagent's report). */
export function textOf(content: unknown): string | undefined {
  const plain = plainContent(content);
  return typeof plain === "string" ? plain : undefined;
}
