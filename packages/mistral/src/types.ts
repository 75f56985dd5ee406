/** Public option types of `@pandaprobe/mistral`. */
import type { CallOptions } from "@pandaprobe/core";
import type { IntegrationOptions } from "@pandaprobe/core/integration";

/**
 * Options of `wrapMistral(client, options)`: the options of every PandaProbe integration (`userId`, `sessionId`,
 * `tags`, `metadata`, `client`, `recordInputs`, `recordOutputs`, `staleCallTimeoutMs`). Mistral adds none.
 */
export interface WrapMistralOptions extends IntegrationOptions {}

/** Per-call PandaProbe options, attached with `withPandaProbe()` (the same helper for every wrapped client). */
export type MistralCallOptions = CallOptions;
