/**
 * The framework modules a behaviour suite runs against. Each entry file (LangChain core 1.x here,
 * core 0.3 + LangGraph 0.4 in compat/lc03) passes its own copies, so one suite covers both lines.
 */
export interface Frameworks {
  /** "lc1" or "lc03". */
  label: string;
  /** From `@langchain/core/utils/testing`. */
  FakeListChatModel: any;
  FakeRetriever: any;
  /** From `@langchain/core/messages`. */
  AIMessage: any;
  AIMessageChunk: any;
  HumanMessage: any;
  /** From `@langchain/core/outputs`. */
  ChatGenerationChunk: any;
  /** From `@langchain/core/tools`. */
  tool: any;
  /** From `@langchain/core/runnables`. */
  RunnableLambda: any;
  RunnablePassthrough: any;
  RunnableMap: any;
  /** From `@langchain/core/prompts` and `@langchain/core/output_parsers` (LCEL chains). */
  ChatPromptTemplate: any;
  StringOutputParser: any;
  /** From `@langchain/core/documents`. */
  Document: any;
  /** From `@langchain/langgraph`. */
  StateGraph: any;
  Annotation: any;
  MessagesAnnotation: any;
  START: string;
  END: string;
  MemorySaver: any;
  interrupt: any;
  Command: any;
  /** From `@langchain/langgraph/prebuilt`. */
  createReactAgent: any;
  /** `createAgent` from `langchain` v1 (absent on the 0.3 line). */
  createAgent?: any;
  /** `todoListMiddleware`/`createMiddleware` from `langchain` v1, `createDeepAgent` from `deepagents` (1.x line only). */
  todoListMiddleware?: any;
  createMiddleware?: any;
  createDeepAgent?: any;
  /** zod (v4 with core 1.x, v3 with core 0.3). */
  z: any;
}
