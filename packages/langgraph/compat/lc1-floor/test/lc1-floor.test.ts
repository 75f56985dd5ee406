/**
 * The behaviour suite against the floors of our 1.x peer ranges (this package's @langchain/core and
 * @langchain/langgraph). Without `langchain` (`createAgent`) and `deepagents`: no langchain 1.x release installs
 * cleanly beside these floors, so they are covered by the newest line (test/lc1.test.ts).
 */
import { createRequire } from "node:module";
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
import { expect, it } from "vitest";
import { defineLangGraphSuite } from "../../../test/suites/index.js";

it("runs against the floors pinned in this package", () => {
  const require = createRequire(import.meta.url);
  const pinned = require("../package.json").dependencies;
  for (const name of ["@langchain/core", "@langchain/langgraph"])
    expect(require(`${name}/package.json`).version, name).toBe(pinned[name]);
});

defineLangGraphSuite({
  label: "lc1-floor",
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
