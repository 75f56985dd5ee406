/**
 * The request half of each model family's native body (InvokeModel), and the parts of a Converse request that are
 * not messages, recognised by shape: Anthropic Messages, Amazon Nova (`messages` + `inferenceConfig`), Amazon Titan
 * (`inputText` + `textGenerationConfig`), Meta Llama and Mistral text (`prompt`), Mistral chat and OpenAI-compatible
 * models (`messages`), Cohere Command (`prompt`) and Command R (`message` + `chat_history`), embeddings
 * (`inputText`, `texts`). A body of any other shape is recorded as it is.
 */
import { isLoose, type Loose, pickModelParameters } from "@pandaprobe/core/integration";
import { type Message, toMessages } from "./messages.js";

/** The span input of a parsed InvokeModel request body: messages where the shape is known, else the body itself. */
export function requestInput(body: unknown): unknown {
  if (!isLoose(body)) return body;
  if (Array.isArray(body.messages)) return { messages: toMessages(body.messages, body.system) };
  if (typeof body.message === "string") return { messages: cohereChat(body) };
  const prompt = typeof body.inputText === "string" ? body.inputText : body.prompt;
  if (typeof prompt === "string") return { messages: [{ role: "user", content: prompt }] };
  return body;
}

/** The span input of an embedding request: the texts embedded (Titan `inputText`, Cohere `texts`), else the body. */
export function embeddingInput(body: unknown): unknown {
  if (!isLoose(body)) return body;
  if (typeof body.inputText === "string") return body.inputText;
  if (Array.isArray(body.texts)) return body.texts;
  return body;
}

/** Cohere Command R: `preamble`, `chat_history` (`USER`, `CHATBOT`, `SYSTEM`, `TOOL`) and the new `message`. */
function cohereChat(body: Loose): Message[] {
  const out: Message[] = [];
  if (typeof body.preamble === "string" && body.preamble) out.push({ role: "system", content: body.preamble });
  if (Array.isArray(body.chat_history)) {
    for (const turn of body.chat_history) {
      if (!isLoose(turn)) continue;
      const role = String(turn.role ?? "USER").toUpperCase();
      out.push({
        role: role === "CHATBOT" ? "assistant" : role === "SYSTEM" ? "system" : role === "TOOL" ? "tool" : "user",
        content: typeof turn.message === "string" ? turn.message : JSON.stringify(turn.tool_results ?? null),
      });
    }
  }
  out.push({ role: "user", content: body.message });
  return out;
}

/** Each family's name for the maximum output length, under the name `pickModelParameters` keeps. */
const MAX_TOKENS = ["max_gen_len", "max_new_tokens", "maxTokenCount"] as const;

/**
 * The safe model parameters of a request: its own top-level ones (Anthropic, Mistral, Llama, Cohere) and those inside
 * Converse / Nova `inferenceConfig`, Titan `textGenerationConfig` and Converse `additionalModelRequestFields`.
 */
export function requestParameters(body: unknown): Record<string, unknown> | undefined {
  if (!isLoose(body)) return undefined;
  const merged: Loose = {
    ...(isLoose(body.additionalModelRequestFields) ? body.additionalModelRequestFields : undefined),
    ...body,
    ...(isLoose(body.textGenerationConfig) ? body.textGenerationConfig : undefined),
    ...(isLoose(body.inferenceConfig) ? body.inferenceConfig : undefined),
  };
  const picked: Loose = pickModelParameters(merged) ?? {};
  for (const key of MAX_TOKENS) if (typeof merged[key] === "number") picked.max_tokens = merged[key];
  if (typeof merged.p === "number") picked.top_p = merged.p; // Cohere
  if (typeof merged.k === "number") picked.top_k = merged.k;
  const toolChoice = isLoose(body.toolConfig) ? body.toolConfig.toolChoice : undefined;
  if (toolChoice !== undefined) picked.toolChoice = toolChoice;
  if (isLoose(body.serviceTier) && typeof body.serviceTier.type === "string")
    picked.serviceTier = body.serviceTier.type;
  if (isLoose(body.performanceConfig) && typeof body.performanceConfig.latency === "string") {
    picked.latency = body.performanceConfig.latency;
  }
  return Object.keys(picked).length ? picked : undefined;
}

/** Names of the tools a request offers (Converse / Nova `toolConfig.tools[].toolSpec`, Anthropic, OpenAI-style, Cohere). */
export function toolNames(body: unknown): string[] | undefined {
  if (!isLoose(body)) return undefined;
  const tools = isLoose(body.toolConfig) ? body.toolConfig.tools : body.tools;
  if (!Array.isArray(tools)) return undefined;
  const names: string[] = [];
  for (const tool of tools) {
    if (!isLoose(tool)) continue;
    const name = tool.toolSpec?.name ?? tool.function?.name ?? tool.name;
    if (typeof name === "string") names.push(name);
  }
  return names.length ? names : undefined;
}
