/** Public option types of `@pandaprobe/openai`. */
import type { CallOptions } from "@pandaprobe/core";
import type { IntegrationOptions } from "@pandaprobe/core/integration";

/**
 * Options of `wrapOpenAI(client, options)`: the options of every PandaProbe integration (`userId`, `sessionId`,
 * `tags`, `metadata`, `client`, `recordInputs`, `recordOutputs`, `staleCallTimeoutMs`), plus the OpenAI ones.
 */
export interface WrapOpenAIOptions extends IntegrationOptions {
  /**
   * Adds `stream_options: { include_usage: true }` to streaming chat completions that do not set it,
   * so streamed spans carry token usage. The stream then ends with one extra chunk whose `choices`
   * is empty (it carries `usage`): code that reads `chunk.choices[0]` unguarded must allow for it.
   * Default `false`.
   */
  includeUsage?: boolean;
  /** @deprecated Use `staleCallTimeoutMs` (the same option in every integration). */
  abandonedStreamTimeoutMs?: number;
}

/** Per-call PandaProbe options, attached with `withPandaProbe()` (the same helper for every wrapped client). */
export type OpenAICallOptions = CallOptions;
