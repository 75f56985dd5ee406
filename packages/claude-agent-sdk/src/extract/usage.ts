/**
 * Token usage and cost of a query. The SDK reports each assistant turn's usage as the Messages API streamed it at
 * the turn's start: input and cache tokens are final there, output tokens only once the message says it is complete
 * (`stop_reason` set, as older CLIs and non-streamed requests report it) or with `includePartialMessages` (the turn's
 * `message_delta`). Its result message carries the totals (`modelUsage`: every model call of the query, subagents
 * and Claude Code's own internal calls included) and the cost.
 */
import type { TokenUsage } from "@pandaprobe/core";
import { addTokenUsage, isRecord, type Loose, normalizeTokenUsage } from "@pandaprobe/core/integration";

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/** A turn's usage in core's shape (Anthropic's `input_tokens` excludes cache tokens; `prompt_tokens` includes them). */
export function turnUsage(usage: unknown, final: boolean): TokenUsage | undefined {
  const u = normalizeTokenUsage(usage);
  if (!u) return undefined;
  if (!final) {
    // The stream-start figure (`output_tokens: 1`) is not the turn's output: leave it to the query's totals.
    delete u.completion_tokens;
    delete u.total_tokens;
  }
  return Object.keys(u).length ? u : undefined;
}

/** The SDK's per-model totals (`modelUsage`, or `model_usage_since_last_result`) in core's shape. */
export function modelUsageTotals(modelUsage: unknown): TokenUsage | undefined {
  if (!isRecord(modelUsage)) return undefined;
  let total: TokenUsage | undefined;
  for (const m of Object.values(modelUsage)) {
    if (!isRecord(m)) continue;
    const cacheRead = num(m.cacheReadInputTokens);
    const cacheWrite = num(m.cacheCreationInputTokens);
    const u: TokenUsage = {
      prompt_tokens: num(m.inputTokens) + cacheRead + cacheWrite,
      completion_tokens: num(m.outputTokens),
      cache_read_tokens: cacheRead,
      cache_creation_tokens: cacheWrite,
    };
    if (num(m.thinkingTokens) > 0) u.reasoning_tokens = num(m.thinkingTokens);
    total = addTokenUsage(total, u);
  }
  return total;
}

/** What the whole query used and cost, by the SDK's own account; undefined parts are not known. */
export interface QueryTotals {
  usage?: TokenUsage;
  costUsd?: number;
}

/**
 * The query's totals from its result messages. The SDK's figures are cumulative for the session: a query that
 * resumes or continues one starts from the earlier queries' totals. Newer CLIs add each result's own share
 * (`model_usage_since_last_result`): summed over the query's results, that is exact; without it, the last result's
 * totals are the query's own unless the query resumed a session (then nothing is claimed).
 */
export function queryTotals(results: Loose[], resumed: boolean): QueryTotals {
  if (!results.length) return {};
  if (results.every((r) => isRecord(r.model_usage_since_last_result))) {
    let usage: TokenUsage | undefined;
    let cost = 0;
    for (const r of results) {
      const since = r.model_usage_since_last_result as Loose;
      usage = addTokenUsage(usage, modelUsageTotals(since));
      for (const m of Object.values(since)) if (isRecord(m)) cost += num(m.costUSD);
    }
    return { usage, costUsd: cost };
  }
  if (resumed) return {};
  const last = results[results.length - 1];
  const cost = typeof last.total_cost_usd === "number" ? last.total_cost_usd : undefined;
  return { usage: modelUsageTotals(last.modelUsage) ?? normalizeTokenUsage(last.usage), costUsd: cost };
}

const KEYS = ["prompt_tokens", "completion_tokens", "cache_read_tokens", "cache_creation_tokens", "reasoning_tokens"];

/** `total` minus what the turns' spans already carry (each key at least 0); undefined when nothing is left. */
export function remainder(total: TokenUsage | undefined, recorded: TokenUsage | undefined): TokenUsage | undefined {
  if (!total) return undefined;
  let out: TokenUsage | undefined;
  for (const k of KEYS as Array<keyof TokenUsage>) {
    const left = num(total[k]) - num(recorded?.[k]);
    if (left > 0) (out ??= {})[k] = left;
  }
  return out;
}
