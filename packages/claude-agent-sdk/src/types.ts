/** Public option types of `@pandaprobe/claude-agent-sdk`. */
import type { CallOptions } from "@pandaprobe/core";
import type { IntegrationOptions } from "@pandaprobe/core/integration";

/**
 * Options of `wrapClaudeAgentQuery(query, options)`: the options of every PandaProbe integration (`userId`,
 * `sessionId`, `tags`, `metadata`, `client`, `recordInputs`, `recordOutputs`, `staleCallTimeoutMs`). The Claude
 * Agent SDK needs nothing more: everything else is read from the messages the query yields.
 */
export interface WrapClaudeAgentQueryOptions extends IntegrationOptions {}

/**
 * Per-query PandaProbe options, attached with `withPandaProbe()` to `query()`'s argument (or to its `options`):
 * `query(withPandaProbe({ userId: "u1" }, { prompt, options }))`. The SDK never sees them.
 */
export type ClaudeAgentCallOptions = CallOptions;
