/** The same behaviour suite against @langchain/core 0.3 + @langchain/langgraph 0.4 (no `createAgent` on this line). */
import { FakeListChatModel, FakeRetriever } from "@langchain/core/utils/testing";
import { AIMessage, AIMessageChunk, HumanMessage } from "@langchain/core/messages";
import { ChatGenerationChunk } from "@langchain/core/outputs";
import { tool } from "@langchain/core/tools";
import { RunnableLambda, RunnableMap, RunnablePassthrough } from "@langchain/core/runnables";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { StringOutputParser } from "@langchain/core/output_parsers";
import { Document } from "@langchain/core/documents";
import {
  Annotation,
  Command,
  END,
  MemorySaver,
  MessagesAnnotation,
  START,
  StateGraph,
  interrupt,
} from "@langchain/langgraph";
import { createReactAgent } from "@langchain/langgraph/prebuilt";
import { z } from "zod";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { defineLangGraphSuite } from "../../../test/suites/index.js";

describe("lc03 line", () => {
  it("the handler extends this line's BaseCallbackHandler (peer resolution, see vitest.config.ts)", async () => {
    const { BaseCallbackHandler } = await import("@langchain/core/callbacks/base");
    const { LangGraphCallbackHandler } = await import("../../../src/index.js");
    expect(new LangGraphCallbackHandler()).toBeInstanceOf(BaseCallbackHandler);
    const require = createRequire(import.meta.url);
    expect(require("@langchain/core/package.json").version).toMatch(/^0\.3\./);
    expect(require("@langchain/langgraph/package.json").version).toMatch(/^0\.4\./);
  });
});

defineLangGraphSuite({
  label: "lc03",
  FakeListChatModel,
  FakeRetriever,
  AIMessage,
  AIMessageChunk,
  HumanMessage,
  ChatGenerationChunk,
  tool,
  RunnableLambda,
  RunnablePassthrough,
  RunnableMap,
  ChatPromptTemplate,
  StringOutputParser,
  Document,
  StateGraph,
  Annotation,
  MessagesAnnotation,
  START,
  END,
  MemorySaver,
  interrupt,
  Command,
  createReactAgent,
  z,
});
