/** `chat.completions.create`: request input and non-streamed result. */
import { isLoose, type Loose, META, type ModelResult, pickModelParameters } from "@pandaprobe/core/integration";
import type { Endpoint } from "../endpoint.js";
import { ChatStreamAccumulator } from "../streaming/chat-stream.js";

export const chatEndpoint: Endpoint = {
  name: "openai-chat",
  kind: "LLM",
  // Copied now: callers commonly push the reply onto `messages` right after the call, before the span is built.
  capture: (params) => ({
    input: { messages: Array.isArray(params.messages) ? params.messages.slice() : params.messages },
  }),
  modelParameters: (params) => pickModelParameters(params),
  finish: (_call, data) => chatResult(data),
  stream: () => new ChatStreamAccumulator(),
};

function chatResult(data: unknown): ModelResult {
  if (!isLoose(data)) return {};
  const choices = data.choices;
  const choice: Loose | undefined = Array.isArray(choices) ? choices[0] : undefined;
  const message = isLoose(choice?.message) ? { ...choice.message } : undefined;
  const metadata: Record<string, unknown> = {};
  if (choice?.finish_reason) metadata[META.FINISH_REASON] = choice.finish_reason;
  if (typeof data.id === "string") metadata[META.RESPONSE_ID] = data.id;
  if (typeof message?.refusal === "string") metadata[META.REFUSAL] = message.refusal;
  if (Array.isArray(choices) && choices.length > 1) metadata[META.CHOICES] = choices.length;
  const output = message ? { messages: [message] } : undefined;
  return { output, model: data.model, usage: data.usage, metadata };
}
