/** The model parameters of a Mistral request worth recording: core's safe set plus Mistral's own. */
import { type Loose, pickModelParameters } from "@pandaprobe/core/integration";

/** Mistral's own parameters (camelCase, as the SDK takes them) that core's set does not know. */
const MISTRAL_PARAMETERS = [
  "randomSeed",
  "safePrompt",
  "promptMode",
  "parallelToolCalls",
  "minTokens",
  "outputDimension",
  "outputDtype",
  "encodingFormat",
];

/**
 * The request's safe parameters. `structured`: the request's `responseFormat` is a Zod schema that `chat.parse`
 * turns into a `json_schema` format (recorded as that type, never the schema).
 */
export function modelParameters(params: Loose, structured?: boolean): Record<string, unknown> | undefined {
  let out = pickModelParameters(params);
  for (const key of MISTRAL_PARAMETERS) {
    const value = params[key];
    if (value !== undefined && value !== null && typeof value !== "object") (out ??= {})[key] = value;
  }
  if (structured && params.responseFormat !== undefined) (out ??= {}).response_format = { type: "json_schema" };
  return out;
}
