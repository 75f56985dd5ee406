/** A chat, agents or FIM completion (`ChatCompletionResponse`, `FIMCompletionResponse`) as a span's result. */
import { isLoose, type Loose, META, type ModelResult } from "@pandaprobe/core/integration";
import { contentParts, replyMessage, toolCall } from "./messages.js";

/** What a completion says about itself, streamed or not. */
export interface ReplyFacts {
  id: unknown;
  finishReason: unknown;
  reasoning: string | undefined;
  /** How many choices the response had (the span records the first). */
  choices: number;
}

/** Span metadata of a reply: finish reason, response id, reasoning, number of choices. */
export function replyMetadata(facts: ReplyFacts): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  if (typeof facts.finishReason === "string" && facts.finishReason) metadata[META.FINISH_REASON] = facts.finishReason;
  if (typeof facts.id === "string" && facts.id) metadata[META.RESPONSE_ID] = facts.id;
  if (facts.reasoning) metadata[META.REASONING_SUMMARY] = facts.reasoning;
  if (facts.choices > 1) metadata[META.CHOICES] = facts.choices;
  return metadata;
}

/** The first choice's message as the span output, with the response's model, usage and metadata. */
export function completionResult(data: unknown): ModelResult {
  if (!isLoose(data)) return {};
  const choices: unknown[] = Array.isArray(data.choices) ? data.choices : [];
  const choice: Loose | undefined = isLoose(choices[0]) ? choices[0] : undefined;
  const message: Loose | undefined = isLoose(choice?.message) ? choice.message : undefined;
  const parts = contentParts(message?.content);
  const calls = message?.toolCalls ?? message?.tool_calls;
  const reply = replyMessage(parts, Array.isArray(calls) ? calls.map(toolCall) : undefined);
  const metadata = replyMetadata({
    id: data.id,
    finishReason: choice?.finishReason ?? choice?.finish_reason,
    reasoning: parts.reasoning,
    choices: choices.length,
  });
  return { output: message ? { messages: [reply] } : undefined, model: data.model, usage: data.usage, metadata };
}
