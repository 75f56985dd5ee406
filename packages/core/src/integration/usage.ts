import type { TokenUsage } from "../types.js";
import { cleanTokenUsage } from "../utils/token-usage.js";

type Obj = Record<string, unknown>;

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const obj = (v: unknown): Obj | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined);
const sum = (...vs: Array<number | undefined>): number | undefined =>
  vs.every((v) => v === undefined) ? undefined : vs.reduce<number>((a, v) => a + (v ?? 0), 0);

/**
 * Maps any provider's usage report onto the core `TokenUsage` shape (see its doc for the meaning
 * of each key): OpenAI chat and Responses, LangChain `usage_metadata` and legacy `tokenUsage`,
 * AI SDK v5/v6/v7 (embeddings' `{ tokens }` too), Anthropic. Returns undefined when nothing usable is found.
 * Zeros are kept. Never throws.
 */
export function normalizeTokenUsage(raw: unknown): TokenUsage | undefined {
  try {
    return fromReport(raw);
  } catch {
    return undefined; // a report that cannot be read (a throwing getter or Proxy) counts as no report
  }
}

function fromReport(raw: unknown): TokenUsage | undefined {
  const u = obj(raw);
  if (!u) return undefined;

  // AI SDK v6/v7: { inputTokens: { total, noCache, cacheRead, cacheWrite }, outputTokens: { total, text, reasoning } }
  const inObj = obj(u.inputTokens);
  const outObj = obj(u.outputTokens);
  if (inObj || outObj) {
    return cleanTokenUsage({
      prompt_tokens: num(inObj?.total) ?? sum(num(inObj?.noCache), num(inObj?.cacheRead), num(inObj?.cacheWrite)),
      completion_tokens: num(outObj?.total) ?? sum(num(outObj?.text), num(outObj?.reasoning)),
      reasoning_tokens: num(outObj?.reasoning),
      cache_read_tokens: num(inObj?.cacheRead),
      cache_creation_tokens: num(inObj?.cacheWrite),
    });
  }

  // AI SDK call-level LanguageModelUsage (v5: flat; v6/v7: plus inputTokenDetails/outputTokenDetails).
  if (num(u.inputTokens) !== undefined || num(u.outputTokens) !== undefined) {
    const inD = obj(u.inputTokenDetails);
    const outD = obj(u.outputTokenDetails);
    return cleanTokenUsage({
      prompt_tokens: num(u.inputTokens),
      completion_tokens: num(u.outputTokens),
      total_tokens: num(u.totalTokens),
      reasoning_tokens: num(outD?.reasoningTokens) ?? num(u.reasoningTokens),
      cache_read_tokens: num(inD?.cacheReadTokens) ?? num(u.cachedInputTokens),
      cache_creation_tokens: num(inD?.cacheWriteTokens),
    });
  }

  // OpenAI Chat Completions.
  if (num(u.prompt_tokens) !== undefined || num(u.completion_tokens) !== undefined) {
    return cleanTokenUsage({
      prompt_tokens: num(u.prompt_tokens),
      completion_tokens: num(u.completion_tokens),
      total_tokens: num(u.total_tokens),
      reasoning_tokens: num(obj(u.completion_tokens_details)?.reasoning_tokens) ?? num(u.reasoning_tokens),
      cache_read_tokens: num(obj(u.prompt_tokens_details)?.cached_tokens) ?? num(u.cache_read_tokens),
      cache_creation_tokens: num(u.cache_creation_tokens),
    });
  }

  // OpenAI Responses, LangChain usage_metadata, Anthropic (input_tokens/output_tokens).
  if (num(u.input_tokens) !== undefined || num(u.output_tokens) !== undefined) {
    const inDetails = obj(u.input_tokens_details) ?? obj(u.input_token_details);
    const outDetails = obj(u.output_tokens_details) ?? obj(u.output_token_details);
    const anthropicRead = num(u.cache_read_input_tokens);
    const anthropicWrite = num(u.cache_creation_input_tokens);
    const isAnthropic = anthropicRead !== undefined || anthropicWrite !== undefined;
    const cacheRead = num(inDetails?.cached_tokens) ?? num(inDetails?.cache_read) ?? anthropicRead;
    const cacheWrite = num(inDetails?.cache_creation) ?? anthropicWrite;
    return cleanTokenUsage({
      // Anthropic's input_tokens excludes cache reads/writes; everyone else's includes them.
      prompt_tokens: isAnthropic ? sum(num(u.input_tokens), anthropicRead, anthropicWrite) : num(u.input_tokens),
      completion_tokens: num(u.output_tokens),
      total_tokens: isAnthropic ? undefined : num(u.total_tokens),
      reasoning_tokens: num(outDetails?.reasoning_tokens) ?? num(outDetails?.reasoning),
      cache_read_tokens: cacheRead,
      cache_creation_tokens: cacheWrite,
    });
  }

  // LangChain legacy llmOutput.tokenUsage / estimatedTokenUsage.
  if (num(u.promptTokens) !== undefined || num(u.completionTokens) !== undefined) {
    return cleanTokenUsage({
      prompt_tokens: num(u.promptTokens),
      completion_tokens: num(u.completionTokens),
      total_tokens: num(u.totalTokens),
    });
  }

  // AI SDK embedding calls: { tokens }.
  if (num(u.tokens) !== undefined)
    return cleanTokenUsage({ prompt_tokens: num(u.tokens), total_tokens: num(u.tokens) });
  return undefined;
}

/** `a + b`, key by key (a key either one reports is kept): the usage of several generations or calls together. */
export function addTokenUsage(a: TokenUsage | undefined, b: TokenUsage | undefined): TokenUsage | undefined {
  if (!a || !b) return a ?? b;
  const out: TokenUsage = { ...a };
  for (const k of Object.keys(b) as Array<keyof TokenUsage>) {
    const v = b[k];
    if (typeof v === "number") out[k] = (out[k] ?? 0) + v;
  }
  return out;
}
