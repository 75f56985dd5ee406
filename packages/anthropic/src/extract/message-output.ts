/**
 * A `Message` (returned, or assembled from a stream) as the span's result: one assistant message with the text and
 * the client tool calls, `thinking` as the reasoning summary (`redacted_thinking` counted, signatures never kept),
 * usage, stop reason, server tool counts, and a `TOOL` child span per tool use (server tools with their results).
 */
import { isLoose, type Loose, META, type ModelResult } from "@pandaprobe/core/integration";
import type { CallRecorder } from "../call-recorder.js";
import { toolCall } from "./message-input.js";
import { toolSpans, type BlockTimes } from "./tool-spans.js";

export function messageResult(call: CallRecorder, message: unknown, times?: BlockTimes): ModelResult {
  if (!isLoose(message)) return {};
  const content: unknown[] = Array.isArray(message.content) ? message.content : [];
  let text: string | undefined;
  let toolCalls: Loose[] | undefined;
  let reasoning: string | undefined;
  let redacted = 0;
  for (const block of content) {
    if (!isLoose(block)) continue;
    switch (block.type) {
      case "text":
        if (typeof block.text === "string") text = (text ?? "") + block.text;
        break;
      case "tool_use":
        (toolCalls ??= []).push(toolCall(block));
        break;
      case "thinking":
        if (typeof block.thinking === "string" && block.thinking)
          reasoning = reasoning === undefined ? block.thinking : `${reasoning}\n\n${block.thinking}`;
        break;
      case "redacted_thinking":
        redacted++;
        break;
    }
  }
  toolSpans(call, content, times);
  const metadata: Record<string, unknown> = {};
  if (typeof message.stop_reason === "string") metadata[META.FINISH_REASON] = message.stop_reason;
  if (typeof message.id === "string") metadata[META.RESPONSE_ID] = message.id;
  if (reasoning !== undefined) metadata[META.REASONING_SUMMARY] = reasoning;
  if (redacted) metadata[META.REDACTED_REASONING] = redacted;
  const usage = isLoose(message.usage) ? message.usage : undefined;
  const serverTools = serverToolUse(usage?.server_tool_use);
  if (serverTools) metadata[META.SERVER_TOOL_USE] = serverTools;
  const hasOutput = text !== undefined || toolCalls !== undefined;
  const output: Loose = { role: "assistant", content: text ?? null };
  if (toolCalls) output.tool_calls = toolCalls;
  return { output: hasOutput ? { messages: [output] } : undefined, model: message.model, usage, metadata };
}

/** `usage.server_tool_use` without its zero counts (undefined when nothing ran). */
function serverToolUse(value: unknown): Record<string, number> | undefined {
  if (!isLoose(value)) return undefined;
  let out: Record<string, number> | undefined;
  for (const key in value) {
    const n = value[key];
    if (typeof n === "number" && n > 0) (out ??= {})[key] = n;
  }
  return out;
}
