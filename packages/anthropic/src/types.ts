/** Public option types of `@pandaprobe/anthropic`. */
import type { CallOptions } from "@pandaprobe/core";
import type { IntegrationOptions } from "@pandaprobe/core/integration";

/**
 * Options of `wrapAnthropic(client, options)`: the options of every PandaProbe integration (`userId`, `sessionId`,
 * `tags`, `metadata`, `client`, `recordInputs`, `recordOutputs`, `staleCallTimeoutMs`). Anthropic needs nothing more:
 * its streams always report usage.
 */
export interface WrapAnthropicOptions extends IntegrationOptions {}

/** Per-call PandaProbe options, attached with `withPandaProbe()` (the same helper for every wrapped client). */
export type AnthropicCallOptions = CallOptions;
