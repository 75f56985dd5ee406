// The floor: what the frameworks themselves charge for being observed, with no SDK work at all. Model clients
// (OpenAI, Anthropic, Gemini, Mistral, Bedrock): the bare client (a wrapper can cost no less). LangGraph and LCEL
// chains: a LangChain callback handler whose every hook is empty, so LangChain builds its callback manager, run ids
// and events exactly as for a real handler. OpenAI Agents SDK: its tracing on, with one trace processor whose every
// hook is empty, so the SDK builds its traces and spans and dispatches them exactly as to a real processor. No data
// is sent. Every scenario has a floor row, so every variant's ratio can be read against it (÷ floor).
import { TRACED_SCENARIOS } from "../lib/scenarios/index.mjs";

export default {
  name: "floor",
  description:
    "no SDK: bare model clients; an empty LangChain callback handler; the Agents SDK's tracing on with an empty processor (the frameworks' own cost)",
  scenarios: TRACED_SCENARIOS,
  packages: ["@langchain/core"],
  importModules: [],
  env: () => ({}),
  async setup() {
    let EmptyHandler;
    const emptyHandler = async () => {
      if (!EmptyHandler) {
        const { BaseCallbackHandler } = await import("@langchain/core/callbacks/base");
        EmptyHandler = class extends BaseCallbackHandler {
          name = "empty";
          handleChainStart() {}
          handleChainEnd() {}
          handleChainError() {}
          handleLLMStart() {}
          handleChatModelStart() {}
          handleLLMNewToken() {}
          handleLLMEnd() {}
          handleLLMError() {}
          handleToolStart() {}
          handleToolEnd() {}
          handleToolError() {}
          handleRetrieverStart() {}
          handleRetrieverEnd() {}
          handleRetrieverError() {}
          handleAgentAction() {}
          handleAgentEnd() {}
          handleText() {}
          handleCustomEvent() {}
        };
      }
      return new EmptyHandler();
    };
    const same = (client) => client;
    const emptyProcessor = {
      onTraceStart: async () => {},
      onTraceEnd: async () => {},
      onSpanStart: async () => {},
      onSpanEnd: async () => {},
      shutdown: async () => {},
      forceFlush: async () => {},
    };
    return {
      wrapOpenAI: same,
      wrapAnthropic: same,
      wrapGemini: same,
      wrapMistral: same,
      wrapBedrock: same,
      langchainHandler: emptyHandler,
      instrumentOpenAIAgents: (agents) => agents.addTraceProcessor(emptyProcessor),
      flush: async () => {},
    };
  },
};
