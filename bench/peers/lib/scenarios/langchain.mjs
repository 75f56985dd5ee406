// The LangChain family: the traced half passes the adapter's LangChain callback handler (`callbacks: [handler]`),
// the bare half passes none. The model is LangChain's own `FakeListChatModel` (no HTTP), so the rows are the
// framework's callback machinery plus the SDK's handler and export.

/**
 * langgraph: a 3-node LangGraph StateGraph, prepare -> llm (FakeListChatModel) -> finalize: six LangChain runs per
 * invoke. Handler: `hooks.langchainHandler()`.
 */
export async function langgraphScenario({ hooks }) {
  const { StateGraph, Annotation, START, END } = await import("@langchain/langgraph");
  const { FakeListChatModel } = await import("@langchain/core/utils/testing");
  const { HumanMessage, SystemMessage } = await import("@langchain/core/messages");

  const model = new FakeListChatModel({ responses: ["The quick brown fox jumps over the lazy dog."] });
  const State = Annotation.Root({
    question: Annotation(),
    prompt: Annotation(),
    answer: Annotation(),
    words: Annotation(),
  });
  const graph = new StateGraph(State)
    .addNode("prepare", (s) => ({ prompt: `Answer briefly: ${s.question}` }))
    .addNode("llm", async (s, config) => {
      const reply = await model.invoke([new SystemMessage("You are terse."), new HumanMessage(s.prompt)], config);
      return { answer: String(reply.content) };
    })
    .addNode("finalize", (s) => ({ words: s.answer.split(/\s+/).length }))
    .addEdge(START, "prepare")
    .addEdge("prepare", "llm")
    .addEdge("llm", "finalize")
    .addEdge("finalize", END)
    .compile();

  const handler = await hooks.langchainHandler?.();
  const input = { question: "What does the fox do?" };
  const invokeWith = (config) => async () => {
    const out = await graph.invoke(input, config);
    if (out.words !== 9) throw new Error(`unexpected graph output: ${JSON.stringify(out)}`);
  };
  return {
    bare: invokeWith({}),
    traced: invokeWith(handler ? { callbacks: [handler] } : {}),
    hasHandler: Boolean(handler),
  };
}

/**
 * langchain-chain: an LCEL chain without LangGraph, `prompt | FakeListChatModel | StringOutputParser` (four LangChain
 * runs per invoke: the sequence, the prompt, the model, the parser). Handler: `hooks.chainHandler()`, else
 * `hooks.langchainHandler()` (most SDKs have one handler for both).
 */
export async function langchainChainScenario({ hooks }) {
  const { ChatPromptTemplate } = await import("@langchain/core/prompts");
  const { StringOutputParser } = await import("@langchain/core/output_parsers");
  const { FakeListChatModel } = await import("@langchain/core/utils/testing");

  const chain = ChatPromptTemplate.fromMessages([
    ["system", "You answer in one line."],
    ["human", "{question}"],
  ])
    .pipe(new FakeListChatModel({ responses: ["The quick brown fox jumps over the lazy dog."] }))
    .pipe(new StringOutputParser());

  const handler = await (hooks.chainHandler ?? hooks.langchainHandler)?.();
  const input = { question: "What does the fox do?" };
  const invokeWith = (config) => async () => {
    const out = await chain.invoke(input, config);
    if (typeof out !== "string" || !out.includes("fox")) throw new Error(`unexpected chain output: ${out}`);
  };
  return {
    bare: invokeWith({}),
    traced: invokeWith(handler ? { callbacks: [handler] } : {}),
    hasHandler: Boolean(handler),
  };
}
