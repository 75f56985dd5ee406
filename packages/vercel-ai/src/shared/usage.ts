import { normalizeTokenUsage, type TokenUsage } from "@pandaprobe/core";

/** Core usage from any AI SDK usage object (core reads every AI SDK shape, v5 to v7). */
export function toTokenUsage(raw: unknown): TokenUsage | undefined {
  return normalizeTokenUsage(raw);
}

/** Usage of an embedding call (`{ tokens }`). */
export function embeddingUsage(raw: unknown): TokenUsage | undefined {
  const tokens = (raw as { tokens?: unknown } | undefined)?.tokens;
  return typeof tokens === "number" && Number.isFinite(tokens)
    ? { prompt_tokens: tokens, total_tokens: tokens }
    : undefined;
}
