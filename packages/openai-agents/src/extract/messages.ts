/**
 * Agents SDK model input and Responses API output items -> the messages convention: the kit's Responses conversion
 * (`responsesInputMessages` / `responsesOutputMessages`), which reads both the SDK's own items (`function_call` with
 * `callId`, `function_call_result`) and the Responses API's wire items (`call_id`, `function_call_output`), so a
 * response span's `_input` (SDK items) and `_response.output` (wire items) come out alike.
 */
import {
  isRecord,
  type ResponsesMessage,
  reasoningSummary,
  responsesInputMessages,
  responsesOutputMessages,
} from "@pandaprobe/core/integration";

export type Message = ResponsesMessage;
export { reasoningSummary };

/** `instructions` as a system message, then the input (a string is one user message, a list is items; reasoning items left out). */
export function inputMessages(instructions: unknown, input: unknown): Message[] {
  return responsesInputMessages(instructions, input, { reasoning: false });
}

/** Output items as messages: consecutive assistant text and tool calls merge into one assistant message. */
export const outputMessages: (items: unknown) => Message[] = responsesOutputMessages;

/** The function calls among output items: what a following function span executes (for its tool call id). */
export function functionCalls(items: unknown): Array<{ id: string; name: unknown; arguments: unknown }> {
  const calls: Array<{ id: string; name: unknown; arguments: unknown }> = [];
  if (!Array.isArray(items)) return calls;
  for (const item of items) {
    if (!isRecord(item) || item.type !== "function_call") continue;
    const id = item.callId ?? item.call_id;
    if (typeof id === "string") calls.push({ id, name: item.name, arguments: item.arguments });
  }
  return calls;
}
