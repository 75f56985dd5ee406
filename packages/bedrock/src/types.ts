/** Public option types of `@pandaprobe/bedrock`. */
import type { CallOptions } from "@pandaprobe/core";
import type { IntegrationOptions } from "@pandaprobe/core/integration";

/**
 * Options of `wrapBedrock(client, options)`: the options of every PandaProbe integration (`userId`, `sessionId`,
 * `tags`, `metadata`, `client`, `recordInputs`, `recordOutputs`, `staleCallTimeoutMs`). Bedrock adds none.
 */
export interface WrapBedrockOptions extends IntegrationOptions {}

/**
 * Per-call PandaProbe options, attached with `withPandaProbe()` to the second argument of `client.send(command,
 * options)` (the SDK's `HttpHandlerOptions`; the wrapper takes them off before the SDK sees the options).
 */
export type BedrockCallOptions = CallOptions;
