/** The result of a finished `Response` object (a `responses.create` call, or the end of its stream). */
import {
  collapseTextContent,
  isLoose,
  type Loose,
  META,
  type ModelResult,
  nowMs,
  reasoningText,
} from "@pandaprobe/core/integration";
import type { CallRecorder } from "../call-recorder.js";
import { endToolSpan, isToolItem, startToolSpan } from "./responses-tools.js";

/**
 * Result of a finished `Response`: one assistant message (text, refusal, tool calls), reasoning
 * summary, status. With `toolSpans`, tool-call items become TOOL child spans spanning the call.
 */
export function responseResult(call: CallRecorder, response: unknown, toolSpans: boolean): ModelResult {
  if (!isLoose(response)) return {};
  let text: string | undefined;
  let refusal: string | undefined;
  const toolCalls: Loose[] = [];
  const reasoning: string[] = [];
  // Tool spans span the call: they end when it ended (this runs later, off the caller's path).
  const end = call.call.endTime ?? nowMs();
  for (const item of Array.isArray(response.output) ? response.output : []) {
    if (!isLoose(item)) continue;
    if (item.type === "message") {
      for (const part of Array.isArray(item.content) ? item.content : []) {
        if (part?.type === "output_text" && typeof part.text === "string") text = (text ?? "") + part.text;
        else if (part?.type === "refusal" && typeof part.refusal === "string") refusal = (refusal ?? "") + part.refusal;
      }
    } else if (item.type === "reasoning") {
      const summary = reasoningText(item);
      if (summary) reasoning.push(summary);
    } else if (isToolItem(item)) {
      if (item.type === "function_call" || item.type === "custom_tool_call") {
        const args = item.type === "function_call" ? item.arguments : collapseTextContent(item.input);
        toolCalls.push({ id: item.call_id, type: "function", function: { name: item.name, arguments: args } });
      }
      if (toolSpans) endToolSpan(startToolSpan(call.span, item, call.startTime), item, end);
    }
  }
  const message: Loose = { role: "assistant", content: text ?? null };
  if (refusal !== undefined) message.refusal = refusal;
  if (toolCalls.length) message.tool_calls = toolCalls;
  const metadata: Record<string, unknown> = {};
  if (typeof response.id === "string") metadata[META.RESPONSE_ID] = response.id;
  if (typeof response.status === "string") metadata[META.STATUS] = response.status;
  if (response.incomplete_details?.reason) metadata[META.INCOMPLETE_REASON] = response.incomplete_details.reason;
  if (reasoning.length) metadata[META.REASONING_SUMMARY] = reasoning.join("\n\n");
  if (refusal !== undefined) metadata[META.REFUSAL] = refusal;
  const hasOutput = text !== undefined || refusal !== undefined || toolCalls.length > 0;
  return {
    output: hasOutput ? { messages: [message] } : undefined,
    model: response.model,
    usage: response.usage,
    metadata,
    error: response.status === "failed" ? responseError(response.error) : undefined,
  };
}

/** The error of a failed response, as an `Error` carrying OpenAI's code. */
export function responseError(error: unknown): Error {
  const message = isLoose(error) && typeof error.message === "string" ? error.message : "response failed";
  return Object.assign(new Error(message), isLoose(error) && error.code ? { code: error.code } : {});
}
