/** `@pandaprobe/claude-agent-sdk`: trace Claude Agent SDK queries without changing what `query()` returns. */
export { wrapClaudeAgentQuery } from "./wrap-query.js";
export { withPandaProbe } from "@pandaprobe/core";
export type { ClaudeAgentCallOptions, WrapClaudeAgentQueryOptions } from "./types.js";
