/**
 * What a Bedrock `modelId` says about the model behind it. The id is one of: a foundation model id
 * (`anthropic.claude-3-5-haiku-20241022-v1:0`), a system inference profile (`us.anthropic.claude-...`,
 * `global.amazon.nova-...`), or an ARN (foundation model, inference profile, application inference profile,
 * provisioned or imported model, prompt). The span's model is the id as the caller sent it (what AWS bills and
 * what the caller chose); the family is read from it only where the id names one.
 */

/** The provider (`anthropic`, `amazon`, `meta`, `mistral`, `cohere`, `ai21`, `deepseek`, ...) the id names, if any. */
export function modelProvider(modelId: string): string | undefined {
  const name = modelName(modelId);
  const dot = name.indexOf(".");
  if (dot <= 0) return undefined;
  const first = name.slice(0, dot);
  if (!REGION_PREFIXES.has(first)) return first;
  const rest = name.slice(dot + 1);
  const next = rest.indexOf(".");
  return next > 0 ? rest.slice(0, next) : undefined;
}

/** Whether the id names an embedding model (`amazon.titan-embed-*`, `cohere.embed-*`, Nova embeddings). */
export function isEmbeddingModel(modelId: string): boolean {
  return /(^|[.-])embed/.test(modelName(modelId));
}

/** The id without an ARN's prefix (`arn:aws:bedrock:...:inference-profile/us.anthropic...` -> `us.anthropic...`). */
function modelName(modelId: string): string {
  return modelId.startsWith("arn:") ? modelId.slice(modelId.lastIndexOf("/") + 1) : modelId;
}

/** Geography prefixes of system-defined cross-region inference profiles. */
const REGION_PREFIXES = new Set(["us", "eu", "apac", "global", "us-gov", "jp", "au", "ca", "sa", "me", "af"]);
