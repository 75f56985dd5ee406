/** `@pandaprobe/langgraph`: PandaProbe tracing for LangGraph.js and LangChain.js runs (and deep agents). */
export { LangGraphCallbackHandler } from "./handler.js";
export { DeepAgentsCallbackHandler, LangChainCallbackHandler } from "./named-handlers.js";
export type {
  DeepAgentsCallbackHandlerOptions,
  LangChainCallbackHandlerOptions,
  LangGraphCallbackHandlerOptions,
} from "./types.js";
