/**
 * Bedrock's token counts -> core's `TokenUsage`. Every Bedrock source counts input the way Anthropic does: the input
 * count excludes the tokens read from or written to the prompt cache, which are reported on their own. So each source
 * is read into Anthropic's usage shape and normalised by the kit, which gives
 *   prompt_tokens = input + cache read + cache write, completion_tokens = output,
 *   total_tokens = prompt_tokens + completion_tokens, cache_read_tokens, cache_creation_tokens.
 * (Converse's own `totalTokens` is not used: it is the same sum when Bedrock reports it, and missing in some payloads.)
 */
import type { TokenUsage } from "@pandaprobe/core";
import { isLoose, normalizeTokenUsage } from "@pandaprobe/core/integration";
import { num } from "../values.js";

/** Input, output, cache read and cache write counts, in Bedrock's sense (input without the cached parts). */
export function bedrockUsage(
  input: number | undefined,
  output: number | undefined,
  cacheRead?: number,
  cacheWrite?: number,
): TokenUsage | undefined {
  if (input === undefined && output === undefined) return undefined;
  return normalizeTokenUsage({
    input_tokens: input,
    output_tokens: output,
    cache_read_input_tokens: cacheRead,
    cache_creation_input_tokens: cacheWrite,
  });
}

/**
 * Converse `usage` (`inputTokens`, `outputTokens`, `cacheReadInputTokens`, `cacheWriteInputTokens`), also Amazon
 * Nova's InvokeModel `usage` (`cacheReadInputTokenCount`, `cacheWriteInputTokenCount`).
 */
export function converseUsage(usage: unknown): TokenUsage | undefined {
  if (!isLoose(usage)) return undefined;
  return bedrockUsage(
    num(usage.inputTokens),
    num(usage.outputTokens),
    num(usage.cacheReadInputTokens) ?? num(usage.cacheReadInputTokenCount),
    num(usage.cacheWriteInputTokens) ?? num(usage.cacheWriteInputTokenCount),
  );
}

/** The last chunk's `amazon-bedrock-invocationMetrics` of an InvokeModelWithResponseStream. */
export function invocationMetricsUsage(metrics: unknown): TokenUsage | undefined {
  if (!isLoose(metrics)) return undefined;
  return bedrockUsage(
    num(metrics.inputTokenCount),
    num(metrics.outputTokenCount),
    num(metrics.cacheReadInputTokenCount),
    num(metrics.cacheWriteInputTokenCount),
  );
}

/** InvokeModel's `X-Amzn-Bedrock-*-Token-Count` response headers (every model family). */
export function headerUsage(headers: unknown): TokenUsage | undefined {
  if (!isLoose(headers)) return undefined;
  const count = (name: string) => {
    const v = headers[name];
    if (typeof v !== "string" || v === "") return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  };
  return bedrockUsage(
    count("x-amzn-bedrock-input-token-count"),
    count("x-amzn-bedrock-output-token-count"),
    count("x-amzn-bedrock-cache-read-input-token-count"),
    count("x-amzn-bedrock-cache-write-input-token-count"),
  );
}
