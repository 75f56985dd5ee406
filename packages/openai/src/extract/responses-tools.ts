/** Responses API tool-call output items (`function_call`, `web_search_call`, ...) as `TOOL` spans. */
import type { Span } from "@pandaprobe/core";
import { isLoose, type Loose, META, parseJsonOrRaw } from "@pandaprobe/core/integration";

/** True for output items that are tool calls. */
export function isToolItem(item: unknown): item is Loose {
  return isLoose(item) && typeof item.type === "string" && item.type.endsWith("_call");
}

/** Span name: the function/tool name when there is one, else the item type without `_call`. */
function toolName(item: Loose): string {
  if (typeof item.name === "string" && item.name) return item.name;
  return item.type.slice(0, -"_call".length) || "tool";
}

/** Input and output worth recording per item type (never large payloads such as generated images). */
function toolIO(item: Loose): { input: unknown; output: unknown } {
  switch (item.type) {
    case "function_call":
      return { input: parseJsonOrRaw(item.arguments), output: undefined }; // executed by the caller
    case "custom_tool_call":
      return { input: item.input, output: undefined };
    case "mcp_call":
      return { input: parseJsonOrRaw(item.arguments), output: item.error ?? item.output };
    case "web_search_call":
      return { input: item.action, output: { status: item.status } };
    case "file_search_call":
      return { input: { queries: item.queries }, output: item.results ?? { status: item.status } };
    case "code_interpreter_call":
      return { input: { code: item.code }, output: item.outputs ?? { status: item.status } };
    case "image_generation_call":
      return { input: undefined, output: { status: item.status } };
    default:
      return { input: item.action ?? item.arguments ?? item.input, output: { status: item.status } };
  }
}

function toolMetadata(item: Loose): Record<string, unknown> {
  const metadata: Record<string, unknown> = { [META.ITEM_TYPE]: item.type };
  if (item.call_id) metadata[META.TOOL_CALL_ID] = item.call_id;
  if (item.id) metadata[META.ITEM_ID] = item.id;
  if (item.server_label) metadata[META.SERVER_LABEL] = item.server_label;
  if (item.status) metadata[META.STATUS] = item.status;
  return metadata;
}

/** Opens a TOOL span for `item` under `parent`. */
export function startToolSpan(parent: Span, item: Loose, startTime: number): Span {
  return parent.startSpan(toolName(item), { kind: "TOOL", startTime, metadata: toolMetadata(item) });
}

/** Fills a TOOL span from the finished `item` and ends it. */
export function endToolSpan(span: Span, item: Loose, endTime: number): void {
  const { input, output } = toolIO(item);
  if (input !== undefined) span.setInput(input);
  span.setName(toolName(item));
  span.setMetadata(toolMetadata(item));
  if (item.status === "failed" || item.error) span.setError(item.error ?? "tool call failed");
  span.end({ output, endTime });
}
