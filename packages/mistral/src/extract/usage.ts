/**
 * Mistral's usage in core's `TokenUsage`. The SDK reports `{ promptTokens, completionTokens, totalTokens }`; prompt
 * caching adds Mistral's `prompt_tokens_details.cached_tokens`, which the SDK passes through untranslated (2.x: beside
 * the known keys; 1.x from 1.10: under `additionalProperties`; earlier releases drop it). Cached tokens are part of
 * `prompt_tokens` (as OpenAI counts them), so they map to `cache_read_tokens` and are never added twice. Zeros are
 * kept: an embedding reports `completion_tokens: 0`.
 */
import type { TokenUsage } from "@pandaprobe/core";
import { isLoose, type Loose, normalizeTokenUsage } from "@pandaprobe/core/integration";

export function mistralUsage(raw: unknown): TokenUsage | undefined {
  if (!isLoose(raw)) return undefined;
  const extra: Loose | undefined = isLoose(raw.additionalProperties) ? raw.additionalProperties : undefined;
  const details = raw.prompt_tokens_details ?? raw.promptTokensDetails ?? extra?.prompt_tokens_details;
  const cached = isLoose(details) ? (details.cached_tokens ?? details.cachedTokens) : undefined;
  return normalizeTokenUsage({
    prompt_tokens: raw.promptTokens ?? raw.prompt_tokens,
    completion_tokens: raw.completionTokens ?? raw.completion_tokens,
    total_tokens: raw.totalTokens ?? raw.total_tokens,
    prompt_tokens_details: cached === undefined ? undefined : { cached_tokens: cached },
  });
}
