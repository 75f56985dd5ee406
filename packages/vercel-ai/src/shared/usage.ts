import { normalizeTokenUsage, type TokenUsage } from "@pandaprobe/core";

type Rec = Record<string, unknown>;
const num = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : undefined);

/**
 * Core usage from any AI SDK usage object. The call-level `LanguageModelUsage` of v6/v7
 * (`inputTokens` number + `inputTokenDetails`/`outputTokenDetails`) is first rewritten to the
 * provider shape (`inputTokens: { total, noCache, cacheRead, cacheWrite }`) that core understands.
 * TODO(core): let normalizeTokenUsage read the LanguageModelUsage shape directly.
 */
export function toTokenUsage(raw: unknown): TokenUsage | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const u = raw as Rec;
  const inDetails = u.inputTokenDetails as Rec | undefined;
  const outDetails = u.outputTokenDetails as Rec | undefined;
  if (typeof u.inputTokens === "number" && (inDetails || outDetails)) {
    return normalizeTokenUsage({
      inputTokens: {
        total: num(u.inputTokens),
        noCache: num(inDetails?.noCacheTokens),
        cacheRead: num(inDetails?.cacheReadTokens),
        cacheWrite: num(inDetails?.cacheWriteTokens),
      },
      outputTokens: {
        total: num(u.outputTokens),
        text: num(outDetails?.textTokens),
        reasoning: num(outDetails?.reasoningTokens),
      },
    });
  }
  return normalizeTokenUsage(raw);
}

/** Usage of an embedding call (`{ tokens }`). */
export function embeddingUsage(raw: unknown): TokenUsage | undefined {
  const tokens = num((raw as Rec | undefined)?.tokens);
  return tokens === undefined ? undefined : { prompt_tokens: tokens, total_tokens: tokens };
}
