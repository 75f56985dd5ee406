/** Behaviour suite against @langchain/core 1.x + @langchain/langgraph 1.x + langchain v1. */
import { FakeListChatModel, FakeRetriever } from "@langchain/core/utils/testing";
import { AIMessage, AIMessageChunk, HumanMessage } from "@langchain/core/messages";
import { ChatGenerationChunk } from "@langchain/core/outputs";
import { tool } from "@langchain/core/tools";
import { RunnableLambda } from "@langchain/core/runnables";
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
import { createAgent } from "langchain";
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
  z,
});
