// The floor: what the frameworks themselves charge for being observed, with no SDK work at all. OpenAI: the bare
// client (a wrapper can cost no less). LangGraph: a LangChain callback handler whose every hook is empty, so
// LangChain builds its callback manager, run ids and events exactly as for a real handler. No data is sent.
export default {
  name: "floor",
  description: "no SDK: bare OpenAI client; an empty LangChain callback handler (the framework's own cost)",
  packages: ["@langchain/core"],
  importModules: [],
  env: () => ({}),
  async setup() {
    const { BaseCallbackHandler } = await import("@langchain/core/callbacks/base");
    class EmptyHandler extends BaseCallbackHandler {
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
    }
    return {
      wrapOpenAI: (openai) => openai,
      langchainHandler: () => new EmptyHandler(),
      flush: async () => {},
      expectsNoData: true,
    };
  },
};
