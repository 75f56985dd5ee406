/**
 * The response half of each model family's native body (InvokeModel), recognised by shape: Anthropic Messages
 * (`content` blocks), Amazon Nova (`output.message`), Amazon Titan (`results[]`), Meta Llama (`generation`), Mistral
 * (`outputs[]`, or `choices[]` for chat), OpenAI-compatible models (`choices[]`), Cohere Command (`generations[]`) and
 * Command R (`text`), embeddings (`embedding`, `embeddings`). Undefined for any other shape (recorded as it is).
 */
import type { TokenUsage } from "@pandaprobe/core";
import {
  type EmbeddingsSummary,
  isLoose,
  type Loose,
  normalizeTokenUsage,
  summarizeEmbeddings,
} from "@pandaprobe/core/integration";
import { num, str } from "../values.js";
import { type Message, replyOf } from "./messages.js";
import { bedrockUsage, converseUsage } from "./usage.js";

/** What a response body says. */
export interface ReadResponse {
  message?: Message;
  reasoning?: string;
  redacted?: number;
  finishReason?: string;
  responseId?: string;
  usage?: TokenUsage;
  embeddings?: EmbeddingsSummary;
}

const assistant = (content: unknown): Message => ({ role: "assistant", content: content ?? null });

export function readResponse(body: unknown): ReadResponse | undefined {
  if (!isLoose(body)) return undefined;
  // Anthropic Messages.
  if (Array.isArray(body.content) && (body.type === "message" || body.role === "assistant")) {
    return {
      ...replyOf(body.content),
      finishReason: str(body.stop_reason),
      responseId: str(body.id),
      usage: normalizeTokenUsage(body.usage),
    };
  }
  // Amazon Nova (Converse's shape, with Nova's usage names).
  if (isLoose(body.output) && isLoose(body.output.message)) {
    const reply = replyOf(body.output.message.content, body.output.message.role ?? "assistant");
    return { ...reply, finishReason: str(body.stopReason), usage: converseUsage(body.usage) };
  }
  // Mistral chat and OpenAI-compatible models (gpt-oss, Jamba, DeepSeek).
  if (Array.isArray(body.choices)) {
    const choice: Loose = isLoose(body.choices[0]) ? body.choices[0] : {};
    const message = isLoose(choice.message)
      ? ({ ...choice.message, role: choice.message.role ?? "assistant" } as Message)
      : assistant(choice.text);
    return {
      message,
      finishReason: str(choice.finish_reason) ?? str(choice.stop_reason),
      responseId: str(body.id),
      usage: normalizeTokenUsage(body.usage),
    };
  }
  // Amazon Titan Text.
  if (Array.isArray(body.results)) {
    const result: Loose = isLoose(body.results[0]) ? body.results[0] : {};
    let output: number | undefined;
    for (const r of body.results) output = sumOf(output, num(r?.tokenCount));
    return {
      message: assistant(result.outputText),
      finishReason: str(result.completionReason),
      usage: bedrockUsage(num(body.inputTextTokenCount), output),
    };
  }
  // Meta Llama.
  if (typeof body.generation === "string") {
    return {
      message: assistant(body.generation),
      finishReason: str(body.stop_reason),
      usage: bedrockUsage(num(body.prompt_token_count), num(body.generation_token_count)),
    };
  }
  // Mistral text completion.
  if (Array.isArray(body.outputs)) {
    const out: Loose = isLoose(body.outputs[0]) ? body.outputs[0] : {};
    return { message: assistant(out.text), finishReason: str(out.stop_reason) };
  }
  // Cohere Command.
  if (Array.isArray(body.generations)) {
    const gen: Loose = isLoose(body.generations[0]) ? body.generations[0] : {};
    return { message: assistant(gen.text), finishReason: str(gen.finish_reason), responseId: str(body.id) };
  }
  // Cohere Command R.
  if (typeof body.text === "string" && (body.response_id !== undefined || body.finish_reason !== undefined)) {
    const message = assistant(body.text);
    if (Array.isArray(body.tool_calls) && body.tool_calls.length) {
      message.tool_calls = body.tool_calls.map((call: Loose) => ({
        type: "function",
        function: { name: call?.name, arguments: JSON.stringify(call?.parameters ?? {}) },
      }));
    }
    return { message, finishReason: str(body.finish_reason), responseId: str(body.response_id) };
  }
  // Embeddings: Titan `embedding`, Cohere `embeddings` (a list, or lists per type: `{ float: [...] }`).
  const vectors = body.embedding ?? body.embeddings;
  if (vectors !== undefined) {
    const list = Array.isArray(vectors) ? vectors : isLoose(vectors) ? Object.values(vectors)[0] : undefined;
    const embeddings = summarizeEmbeddings(list);
    if (embeddings) {
      return { embeddings, responseId: str(body.id), usage: bedrockUsage(num(body.inputTextTokenCount), undefined) };
    }
  }
  return undefined;
}

const sumOf = (a: number | undefined, b: number | undefined) => (b === undefined ? a : (a ?? 0) + b);
