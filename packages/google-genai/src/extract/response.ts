/** A `GenerateContentResponse` -> the span's output, model, usage and metadata. */
import { isLoose, type Loose, META, type ModelResult } from "@pandaprobe/core/integration";
import { contentMessages, emptySummary, messageRole, type PartsSummary, summarizeParts } from "./parts.js";
import { geminiUsage } from "./usage.js";

export function generateResult(data: unknown): ModelResult {
  if (!isLoose(data)) return {};
  const metadata: Record<string, unknown> = {};
  const candidates = data.candidates;
  const first: Loose | undefined = Array.isArray(candidates) && isLoose(candidates[0]) ? candidates[0] : undefined;
  const messages = automaticCalls(data.automaticFunctionCallingHistory);
  if (first) {
    const s = summarizeParts(first.content?.parts, emptySummary());
    contentMessages(messageRole(first.content?.role, "assistant"), s, "", messages);
    noteThoughts(s, metadata);
    if (typeof first.finishReason === "string") metadata[META.FINISH_REASON] = first.finishReason;
  }
  if (Array.isArray(candidates) && candidates.length > 1) metadata[META.CHOICES] = candidates.length;
  noteResponse(data, metadata);
  return {
    output: messages.length ? { messages } : undefined,
    model: data.modelVersion,
    usage: geminiUsage(data.usageMetadata),
    metadata,
  };
}

/** The response id and a blocked prompt's reason (no candidates then). */
export function noteResponse(data: Loose, metadata: Record<string, unknown>): void {
  if (typeof data.responseId === "string") metadata[META.RESPONSE_ID] = data.responseId;
  const feedback = data.promptFeedback;
  if (isLoose(feedback) && typeof feedback.blockReason === "string")
    metadata[META.REFUSAL] = feedback.blockReasonMessage ?? feedback.blockReason;
}

/** Thought parts (`includeThoughts`) are summarised into metadata, never mixed into the answer. */
export function noteThoughts(s: PartsSummary, metadata: Record<string, unknown>): void {
  if (s.thoughts.length) metadata[META.REASONING_SUMMARY] = s.thoughts.join("\n\n");
}

/**
 * Automatic function calling (callable tools the SDK ran itself): its history ends with one (model function call,
 * user function response) pair per round; those rounds become tool calls and tool messages before the final answer.
 */
function automaticCalls(history: unknown): Loose[] {
  const out: Loose[] = [];
  if (!Array.isArray(history)) return out;
  let start = history.length;
  while (start >= 2 && isRound(history[start - 2], history[start - 1])) start -= 2;
  for (let i = start; i < history.length; i++) {
    const c = history[i] as Loose;
    contentMessages(messageRole(c.role, "user"), summarizeParts(c.parts, emptySummary()), "", out);
  }
  return out;
}

function isRound(call: unknown, response: unknown): boolean {
  return (
    isLoose(call) &&
    call.role === "model" &&
    Array.isArray(call.parts) &&
    call.parts.some((p: unknown) => isLoose(p) && isLoose(p.functionCall)) &&
    isLoose(response) &&
    Array.isArray(response.parts) &&
    response.parts.some((p: unknown) => isLoose(p) && isLoose(p.functionResponse))
  );
}
