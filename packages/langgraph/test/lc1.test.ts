/** Behaviour suite against @langchain/core 1.x + @langchain/langgraph 1.x + langchain v1 + deepagents. */
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
import { createAgent, createMiddleware, todoListMiddleware } from "langchain";
import { createDeepAgent } from "deepagents";
import { z } from "zod";
import { defineLangGraphSuite } from "./suites/index.js";

defineLangGraphSuite({
  label: "lc1",
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
  createAgent,
  todoListMiddleware,
  createMiddleware,
  createDeepAgent,
  z,
});
