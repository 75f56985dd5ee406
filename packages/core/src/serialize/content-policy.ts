/**
 * The content policy's reach into metadata: `recordOutputs: false` (the integration kit's, on a call and every span
 * under it) keeps the model's output out, and some of it travels as metadata rather than as the span's output. The
 * keys are spelled here, below the integration kit, so serialisation can apply the policy to every span whatever
 * wrote it; the kit's `META` names them for integrations.
 */

/** The summary of the model's reasoning (its thinking), when the provider returns one. */
export const REASONING_SUMMARY_KEY = "reasoning_summary";
/** The model's refusal text. */
export const REFUSAL_KEY = "refusal";

/** Metadata keys whose values are model output: sent only when outputs are. */
const OUTPUT_METADATA_KEYS = [REASONING_SUMMARY_KEY, REFUSAL_KEY] as const;

/** `metadata` without its model-output keys (the same object when it has none). */
export function withoutOutputMetadata(
  metadata: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (!metadata) return metadata;
  let out: Record<string, unknown> | undefined;
  for (const key of OUTPUT_METADATA_KEYS) {
    if (!Object.hasOwn(metadata, key)) continue;
    out ??= { ...metadata };
    delete out[key];
  }
  return out ?? metadata;
}
