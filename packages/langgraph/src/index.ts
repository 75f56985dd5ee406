/** `@pandaprobe/langgraph`: PandaProbe tracing for LangGraph.js and LangChain.js runs. */
export { LangGraphCallbackHandler } from "./handler.js";
export type { LangGraphCallbackHandlerOptions } from "./types.js";
