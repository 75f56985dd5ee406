/**
 * Gemini `Content`/`Part` objects -> the messages convention (`{ role, content, tool_calls? }`), shared by the
 * request side (contents, system instruction, chat history) and the response side (candidates, stream chunks).
 * Media is described (type, MIME type, size or URI), never copied: a base64 image would fill the span.
 */
import { isLoose, type Loose } from "@pandaprobe/core/integration";

/** What one content's parts say: its text, thoughts, function calls and responses, other blocks. */
export interface PartsSummary {
  text: string[];
  thoughts: string[];
  toolCalls: Loose[];
  toolResults: Loose[];
  /** Non-text blocks (media, code), described. */
  blocks: Loose[];
}

export function emptySummary(): PartsSummary {
  return { text: [], thoughts: [], toolCalls: [], toolResults: [], blocks: [] };
}

/** Reads `parts` into `into` (a string part counts as text, as the SDK's `tParts` does). */
export function summarizeParts(parts: unknown, into: PartsSummary): PartsSummary {
  if (!Array.isArray(parts)) return into;
  for (const part of parts) {
    if (typeof part === "string") {
      into.text.push(part);
      continue;
    }
    if (!isLoose(part)) continue;
    if (typeof part.text === "string") {
      if (part.thought === true) into.thoughts.push(part.text);
      else into.text.push(part.text);
      continue;
    }
    if (isLoose(part.functionCall)) {
      into.toolCalls.push(toolCall(part.functionCall, into.toolCalls.length));
      continue;
    }
    if (isLoose(part.functionResponse)) {
      into.toolResults.push(toolResult(part.functionResponse));
      continue;
    }
    const block = describeBlock(part);
    if (block) into.blocks.push(block);
  }
  return into;
}

/** A Gemini function call as an OpenAI-style tool call (the messages convention); ids are the call's, else its name. */
export function toolCall(fc: Loose, index: number): Loose {
  const name = typeof fc.name === "string" ? fc.name : "";
  return {
    id: typeof fc.id === "string" ? fc.id : name || `call_${index}`,
    type: "function",
    function: { name, arguments: stringify(fc.args ?? {}) },
  };
}

/** A function response as a `tool` message. */
function toolResult(fr: Loose): Loose {
  const name = typeof fr.name === "string" ? fr.name : "";
  return {
    role: "tool",
    tool_call_id: typeof fr.id === "string" ? fr.id : name,
    name,
    content: stringify(fr.response ?? null),
  };
}

function describeBlock(part: Loose): Loose | undefined {
  const inline = part.inlineData;
  if (isLoose(inline)) {
    const size = typeof inline.data === "string" ? Math.floor((inline.data.length * 3) / 4) : undefined;
    return { type: "inline_data", mime_type: inline.mimeType, bytes: size };
  }
  const file = part.fileData;
  if (isLoose(file)) return { type: "file_data", mime_type: file.mimeType, file_uri: file.fileUri };
  const code = part.executableCode;
  if (isLoose(code)) return { type: "executable_code", language: code.language, code: code.code };
  const result = part.codeExecutionResult;
  if (isLoose(result)) return { type: "code_execution_result", outcome: result.outcome, output: result.output };
  for (const key in part) if (part[key] !== undefined && key !== "thoughtSignature") return { type: key };
  return undefined;
}

function stringify(value: unknown): string {
  try {
    return typeof value === "string" ? value : (JSON.stringify(value) ?? "");
  } catch {
    return String(value);
  }
}

/** `model` is the assistant; everything else keeps its name (`user`, `system`, ...). */
export function messageRole(role: unknown, fallback: string): string {
  if (role === "model") return "assistant";
  return typeof role === "string" && role ? role : fallback;
}

/**
 * The messages one content makes: its tool results as `tool` messages, then (when it has anything else) one message
 * with the text (joined with `separator`), or a list of blocks when it holds media, and its tool calls.
 */
export function contentMessages(role: string, s: PartsSummary, separator: string, out: Loose[]): void {
  for (const r of s.toolResults) out.push(r);
  const hasText = s.text.length > 0;
  if (!hasText && s.blocks.length === 0 && s.toolCalls.length === 0) {
    if (s.toolResults.length === 0 && s.thoughts.length === 0) out.push({ role, content: "" });
    return;
  }
  let content: unknown = hasText ? s.text.join(separator) : null;
  if (s.blocks.length) {
    const list: Loose[] = [];
    for (const t of s.text) list.push({ type: "text", text: t });
    content = list.concat(s.blocks);
  }
  const message: Loose = { role, content };
  if (s.toolCalls.length) message.tool_calls = s.toolCalls;
  out.push(message);
}
