/** `chat.completions.create`: request input and non-streamed result. */
import { pickModelParameters } from "@pandaprobe/core";
import type { CallResult } from "./call-recorder.js";
import { ChatStreamAccumulator } from "./chat-stream.js";
import type { Endpoint } from "./endpoint.js";
import { isObject, type Loose } from "./shapes.js";

export const chatEndpoint: Endpoint = {
  name: "openai-chat",
  kind: "LLM",
  // Copied now: callers commonly push the reply onto `messages` right after the call, before the span is built.
  capture: (params) => ({
    input: { messages: Array.isArray(params.messages) ? params.messages.slice() : params.messages },
  }),
  modelParameters: (params) => pickModelParameters(params),
  finish: (_call, data) => chatResult(data),
  stream: (call) => new ChatStreamAccumulator(call),
};

function chatResult(data: unknown): CallResult {
  if (!isObject(data)) return {};
  const choices = data.choices;
  const choice: Loose | undefined = Array.isArray(choices) ? choices[0] : undefined;
  const message = isObject(choice?.message) ? { ...choice.message } : undefined;
  const metadata: Record<string, unknown> = {};
  if (choice?.finish_reason) metadata.finish_reason = choice.finish_reason;
  if (typeof data.id === "string") metadata.response_id = data.id;
  if (typeof message?.refusal === "string") metadata.refusal = message.refusal;
  if (Array.isArray(choices) && choices.length > 1) metadata.choices = choices.length;
  const output = message ? { messages: [message] } : undefined;
  return { output, model: data.model, usage: data.usage, metadata };
}
