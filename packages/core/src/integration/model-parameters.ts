/** Model parameters worth recording, under the names providers and frameworks use. */
const SAFE = new Set([
  "temperature",
  "top_p",
  "topP",
  "top_k",
  "topK",
  "max_tokens",
  "maxTokens",
  "max_completion_tokens",
  "max_output_tokens",
  "maxOutputTokens",
  "frequency_penalty",
  "frequencyPenalty",
  "presence_penalty",
  "presencePenalty",
  "stop",
  "stop_sequences",
  "stopSequences",
  "seed",
  "n",
  "logprobs",
  "top_logprobs",
  "tool_choice",
  "toolChoice",
  "parallel_tool_calls",
  "reasoning_effort",
  "reasoningEffort",
  "reasoning",
  "service_tier",
  "serviceTier",
  "truncation",
  "verbosity",
  "modalities",
  "stream",
  "streaming",
  "user",
  "store",
  "candidateCount",
  "dimensions",
  "encoding_format",
]);

/**
 * The known, safe model parameters of `params` (never keys, headers, clients or callbacks).
 * `response_format` / `text.format` are reduced to their type. Undefined when none are present. Never throws.
 */
export function pickModelParameters(params: unknown): Record<string, unknown> | undefined {
  try {
    return pick(params);
  } catch {
    return undefined; // parameters that cannot be read (a throwing getter or Proxy) are not recorded
  }
}

function pick(params: unknown): Record<string, unknown> | undefined {
  if (!params || typeof params !== "object") return undefined;
  const src = params as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key in src) {
    const v = src[key];
    if (v === undefined || typeof v === "function") continue;
    if (SAFE.has(key)) out[key] = v;
  }
  const rf = src.response_format ?? src.responseFormat;
  if (rf && typeof rf === "object") out.response_format = { type: (rf as { type?: unknown }).type };
  else if (typeof rf === "string") out.response_format = rf;
  const text = src.text as { format?: { type?: unknown } } | undefined;
  if (text && typeof text === "object" && text.format) out.text_format = text.format.type;
  return Object.keys(out).length ? out : undefined;
}
