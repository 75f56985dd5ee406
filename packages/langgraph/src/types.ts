/** Public option types of `@pandaprobe/langgraph`. */
import type { IntegrationOptions } from "@pandaprobe/core/integration";

/**
 * Options of {@link LangGraphCallbackHandler}: the options of every PandaProbe integration (`userId`, `sessionId`,
 * `tags`, `metadata`, `client`, `recordInputs`, `recordOutputs`, `staleCallTimeoutMs`), plus the LangGraph ones.
 * A run's own `config.metadata` `userId`/`sessionId`/`traceId`/`tags` win over them, its other keys are trace
 * metadata, and its `config.tags` are trace tags.
 */
export interface LangGraphCallbackHandlerOptions extends IntegrationOptions {
  /** Use LangGraph's `configurable.thread_id` as the session id when nothing else names one (default true). */
  threadIdAsSession?: boolean;
  /** @deprecated Use `staleCallTimeoutMs` (the same option in every integration). */
  runTtlMs?: number;
}

/** Options of {@link LangChainCallbackHandler}: the same as the LangGraph handler's. */
export type LangChainCallbackHandlerOptions = LangGraphCallbackHandlerOptions;

/** Options of {@link DeepAgentsCallbackHandler}: the same as the LangGraph handler's. */
export type DeepAgentsCallbackHandlerOptions = LangGraphCallbackHandlerOptions;
