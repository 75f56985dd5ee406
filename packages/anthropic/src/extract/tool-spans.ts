/**
 * Tool use blocks of a response as `TOOL` child spans of the call: a client `tool_use` with its input (your code
 * runs it: no output), a server tool (`server_tool_use`: web search, code execution, web fetch; `mcp_tool_use`) with
 * its input and the result block the response carries for it. Built off the caller's path, when the call is recorded.
 */
import { isLoose, type Loose, META, parseJsonOrRaw } from "@pandaprobe/core/integration";
import type { CallRecorder } from "../call-recorder.js";
import { scrub } from "./scrub.js";

/** When each content block of a stream started and stopped (`nowMs()` clock), by index. */
export interface BlockTimes {
  start: number[];
  stop: number[];
}

const isToolUse = (type: unknown) => typeof type === "string" && (type === "tool_use" || type.endsWith("_tool_use"));
const isToolResult = (block: Loose) => typeof block.tool_use_id === "string" && typeof block.type === "string";

export function toolSpans(call: CallRecorder, content: unknown[], times?: BlockTimes): void {
  let results: Map<string, number> | undefined;
  for (let i = 0; i < content.length; i++) {
    const block = content[i];
    if (isLoose(block) && isToolResult(block)) (results ??= new Map()).set(block.tool_use_id, i);
  }
  // A non-streamed response's tools ran within the call: their spans cover it.
  const callEnd = call.call.endTime;
  for (let i = 0; i < content.length; i++) {
    const block = content[i];
    if (!isLoose(block) || !isToolUse(block.type)) continue;
    const resultIndex = typeof block.id === "string" ? results?.get(block.id) : undefined;
    const result = resultIndex === undefined ? undefined : (content[resultIndex] as Loose);
    const metadata: Record<string, unknown> = { [META.TOOL_CALL_ID]: block.id, [META.ITEM_TYPE]: block.type };
    if (typeof block.server_name === "string") metadata[META.SERVER_LABEL] = block.server_name;
    const span = call.span.startSpan(typeof block.name === "string" && block.name ? block.name : block.type, {
      kind: "TOOL",
      startTime: times?.start[i] ?? call.call.startTime,
      input: parseJsonOrRaw(block.input),
      metadata,
    });
    const endTime = times?.stop[resultIndex ?? i] ?? callEnd;
    if (!result) {
      span.end({ endTime });
      continue;
    }
    const { output, error } = toolResult(result);
    span.end({ output, error, endTime });
  }
}

/** A server tool's result block: its content (scrubbed, search results without their encrypted text), or its error. */
function toolResult(result: Loose): { output: unknown; error: unknown } {
  const content = result.content;
  if (result.is_error === true) return { output: scrub(content), error: "tool error" };
  if (isLoose(content) && typeof content.type === "string" && content.type.endsWith("_error")) {
    return { output: undefined, error: `${content.type}: ${content.error_code ?? "error"}` };
  }
  return { output: scrub(content), error: undefined };
}
