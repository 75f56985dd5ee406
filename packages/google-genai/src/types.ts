/** Public option types of `@pandaprobe/google-genai`. */
import type { CallOptions } from "@pandaprobe/core";
import type { IntegrationOptions } from "@pandaprobe/core/integration";

/**
 * Options of `wrapGoogleGenAI(client, options)`: the options of every PandaProbe integration (`userId`, `sessionId`,
 * `tags`, `metadata`, `client`, `recordInputs`, `recordOutputs`, `staleCallTimeoutMs`). Google Gen AI adds none.
 */
export interface WrapGoogleGenAIOptions extends IntegrationOptions {}

/** Per-call PandaProbe options, attached with `withPandaProbe()` (the same helper for every wrapped client). */
export type GoogleGenAICallOptions = CallOptions;
