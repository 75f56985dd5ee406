/**
 * Gemini `usageMetadata` -> core's `TokenUsage`, counting every token once:
 *
 * | core                 | Gemini                                               |
 * | -------------------- | ---------------------------------------------------- |
 * | `prompt_tokens`      | `promptTokenCount` + `toolUsePromptTokenCount`        |
 * | `cache_read_tokens`  | `cachedContentTokenCount` (already in the prompt)     |
 * | `completion_tokens`  | `candidatesTokenCount` + `thoughtsTokenCount`         |
 * | `reasoning_tokens`   | `thoughtsTokenCount` (part of `completion_tokens`)    |
 * | `total_tokens`       | `totalTokenCount` (else prompt + completion)          |
 *
 * Gemini reports thoughts beside the candidates (not inside them), while core's `completion_tokens` includes
 * reasoning: so they are added once, and `reasoning_tokens` says how many of them were thoughts. Cached content is
 * part of `promptTokenCount`, as core's `cache_read_tokens` is part of `prompt_tokens`.
 */
import type { TokenUsage } from "@pandaprobe/core";
import { isLoose, normalizeTokenUsage } from "@pandaprobe/core/integration";

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const add = (a: number | undefined, b: number | undefined) =>
  a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);

export function geminiUsage(raw: unknown): TokenUsage | undefined {
  if (!isLoose(raw)) return undefined;
  const thoughts = num(raw.thoughtsTokenCount);
  return normalizeTokenUsage({
    prompt_tokens: add(num(raw.promptTokenCount), num(raw.toolUsePromptTokenCount)),
    completion_tokens: add(num(raw.candidatesTokenCount), thoughts),
    total_tokens: num(raw.totalTokenCount),
    reasoning_tokens: thoughts,
    cache_read_tokens: num(raw.cachedContentTokenCount),
  });
}

/**
 * An embedding call's usage: `usageMetadata` where the API reports it, else the sum of the per-vector
 * `statistics.tokenCount` (Vertex AI), as prompt tokens.
 */
export function embeddingUsage(data: unknown): TokenUsage | undefined {
  if (!isLoose(data)) return undefined;
  const fromMetadata = geminiUsage(data.usageMetadata);
  if (fromMetadata) return fromMetadata;
  let tokens: number | undefined;
  if (Array.isArray(data.embeddings))
    for (const e of data.embeddings) tokens = add(tokens, isLoose(e) ? num(e.statistics?.tokenCount) : undefined);
  return tokens === undefined ? undefined : normalizeTokenUsage({ prompt_tokens: tokens, completion_tokens: 0 });
}
