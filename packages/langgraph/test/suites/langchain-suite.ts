/** The LangChain family: LCEL chains, retrievers and `createAgent` under `LangChainCallbackHandler`, deep agents. */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { withSpan } from "@pandaprobe/core";
import { childrenOf, oneSpan, outline, spansNamed } from "@pandaprobe/testing";
import { expectSpansNest, uniqueTag } from "@pandaprobe/testing/vitest";
import type { Harness } from "@pandaprobe/testing/vitest";
import { describe, expect, it } from "vitest";
import { DeepAgentsCallbackHandler, LangChainCallbackHandler, LangGraphCallbackHandler } from "../../src/index.js";
import { deepAgent } from "../support/deep-agent.js";
import type { Frameworks } from "../support/frameworks.js";
import { weatherTools } from "../support/graphs.js";
import { makeScriptedModel } from "../support/scripted-model.js";

const CORE_USAGE = {
  prompt_tokens: 12,
  completion_tokens: 7,
  total_tokens: 19,
  cache_read_tokens: 4,
  reasoning_tokens: 3,
};

/** An LCEL chain: prompt | model | parser. */
function lcelChain(fw: Frameworks) {
  const prompt = fw.ChatPromptTemplate.fromMessages([
    ["system", "You answer in one line."],
    ["human", "Tell me about {topic}"],
  ]);
  return prompt.pipe(new (makeScriptedModel(fw))()).pipe(new fw.StringOutputParser());
}

/** A retrieval chain: { context: retriever | format_docs, question } | prompt | model | parser. */
function ragChain(fw: Frameworks) {
  const docs = [
    new fw.Document({ pageContent: "Lisbon is the capital of Portugal.", metadata: { source: "atlas" } }),
    new fw.Document({ pageContent: "Lisbon lies on the Tagus.", metadata: { source: "wiki" } }),
  ];
  const retriever = new fw.FakeRetriever({ output: docs });
  const format = fw.RunnableLambda.from((found: any[]) => found.map((d) => d.pageContent).join("\n")).withConfig({
    runName: "format_docs",
  });
  const prompt = fw.ChatPromptTemplate.fromMessages([["human", "Context:\n{context}\n\nQuestion: {question}"]]);
  return fw.RunnableMap.from({ context: retriever.pipe(format), question: new fw.RunnablePassthrough() })
    .pipe(prompt)
    .pipe(new (makeScriptedModel(fw))())
    .pipe(new fw.StringOutputParser());
}

export function langchainSuite(fw: Frameworks, h: Harness): void {
  describe(`the LangChain family (${fw.label})`, () => {
    it("LangChainCallbackHandler and DeepAgentsCallbackHandler are the LangGraph handler, named for what they trace", () => {
      for (const H of [LangChainCallbackHandler, DeepAgentsCallbackHandler]) {
        const handler = new H({ client: h.client });
        expect(handler).toBeInstanceOf(LangGraphCallbackHandler);
        expect(handler).toBeInstanceOf(BaseCallbackHandler);
        expect(handler.awaitHandlers).toBe(true);
      }
      expect(new LangChainCallbackHandler().name).toBe("pandaprobe_langchain_handler");
      expect(new DeepAgentsCallbackHandler().name).toBe("pandaprobe_deepagents_handler");
    });

    it("a plain LCEL chain (prompt | model | parser): one trace named LangChain, a span per step", async () => {
      const tag = uniqueTag("lcel");
      const handler = new LangChainCallbackHandler({ client: h.client, tags: [tag], userId: "u-lcel" });
      const out = await lcelChain(fw).invoke({ topic: "Lisbon" }, { callbacks: [handler] });
      expect(out).toBe("Answer: Tell me about Lisbon");
      const [trace] = await h.tagged(tag);
      expect(trace.name).toBe("LangChain");
      expect(trace.user_id).toBe("u-lcel");
      expect(outline(trace)).toEqual([
        "LangChain (CHAIN)",
        "  ChatPromptTemplate (CHAIN)",
        "  ScriptedChatModel (LLM)",
        "  StrOutputParser (CHAIN)",
      ]);
      expect(trace.input).toEqual({ topic: "Lisbon" });
      // A chain's string result, as LangChain reports it (the Python SDK keeps non-message outputs as they are too).
      expect(trace.output).toEqual({ output: "Answer: Tell me about Lisbon" });
      const llm = oneSpan(trace, "ScriptedChatModel");
      expect(llm.input).toEqual({
        messages: [
          { role: "system", content: "You answer in one line." },
          { role: "user", content: "Tell me about Lisbon" },
        ],
      });
      expect(llm.token_usage).toMatchObject(CORE_USAGE);
      expectSpansNest(trace);
    });

    it("a retriever in a chain: a RETRIEVER span with the query and the documents", async () => {
      const tag = uniqueTag("rag");
      const handler = new LangChainCallbackHandler({ client: h.client, tags: [tag] });
      const out = await ragChain(fw).invoke("Where is Lisbon?", { callbacks: [handler] });
      expect(out).toContain("Answer:");
      const [trace] = await h.tagged(tag);
      expect(trace.name).toBe("LangChain");
      const retriever = trace.spans.find((s) => s.kind === "RETRIEVER")!;
      expect(retriever.input).toEqual({ query: "Where is Lisbon?" });
      expect(retriever.output).toEqual([
        { page_content: "Lisbon is the capital of Portugal.", metadata: { source: "atlas" } },
        { page_content: "Lisbon lies on the Tagus.", metadata: { source: "wiki" } },
      ]);
      expect(oneSpan(trace, "format_docs").output).toEqual({
        output: "Lisbon is the capital of Portugal.\nLisbon lies on the Tagus.",
      });
      expectSpansNest(trace);
    });

    it.skipIf(!fw.createAgent)(
      "langchain's createAgent: an unnamed agent's trace is LangChain, tools under its node",
      async () => {
        const tag = uniqueTag("lc-agent");
        const Model = makeScriptedModel(fw);
        const agent = fw.createAgent!({ model: new Model(), tools: weatherTools(fw) });
        const handler = new LangChainCallbackHandler({ client: h.client, tags: [tag] });
        const result = await agent.invoke(
          { messages: [{ role: "user", content: "weather in Porto?" }] },
          { callbacks: [handler] },
        );
        expect(result.messages.at(-1).content).toBe("Answer: weather in Porto?");
        const [trace] = await h.tagged(tag);
        expect(trace.name).toBe("LangChain");
        const names = outline(trace);
        expect(names[0]).toBe("LangChain (AGENT)");
        expect(spansNamed(trace, "model_request")).toHaveLength(2);
        const tools = trace.spans.filter((s) => s.kind === "TOOL");
        expect(tools.map((t) => t.name).sort()).toEqual(["get_time", "get_weather"]);
        expect(trace.input).toEqual({ messages: [{ role: "user", content: "weather in Porto?" }] });
        expect(trace.output).toEqual({
          messages: [expect.objectContaining({ role: "assistant", content: "Answer: weather in Porto?" })],
        });
        expectSpansNest(trace);
      },
    );

    it.skipIf(!fw.createMiddleware)(
      "createAgent middleware hook nodes appear only when something happens in them (a span, an error)",
      async () => {
        const tag = uniqueTag("middleware");
        const quiet = fw.createMiddleware!({ name: "quiet", afterModel: () => undefined });
        const audit = fw.createMiddleware!({
          name: "audit",
          afterModel: () => withSpan("audit-check", { kind: "OTHER" }, () => undefined),
        });
        const Model = makeScriptedModel(fw);
        const agent = fw.createAgent!({ model: new Model(), tools: weatherTools(fw), middleware: [quiet, audit] });
        const handler = new LangChainCallbackHandler({ client: h.client, tags: [tag] });
        await agent.invoke({ messages: [{ role: "user", content: "weather?" }] }, { callbacks: [handler] });
        const [trace] = await h.tagged(tag);
        expect(spansNamed(trace, "quiet.after_model")).toHaveLength(0);
        const audits = spansNamed(trace, "audit.after_model");
        expect(audits).toHaveLength(2);
        for (const node of audits) {
          expect(childrenOf(trace, node).map((c) => c.name)).toEqual(["audit-check"]);
          expect(node.metadata).toMatchObject({ langgraph_node: "audit.after_model" });
        }
        expectSpansNest(trace);

        const failTag = uniqueTag("middleware-fail");
        const broken = fw.createMiddleware!({
          name: "guard",
          beforeAgent: () => {
            throw new Error("blocked by guard");
          },
        });
        const failing = fw.createAgent!({ model: new Model(), tools: [], middleware: [broken] });
        const failHandler = new LangChainCallbackHandler({ client: h.client, tags: [failTag] });
        await expect(
          failing.invoke({ messages: [{ role: "user", content: "hi" }] }, { callbacks: [failHandler] }),
        ).rejects.toThrow("blocked by guard");
        const [failed] = await h.tagged(failTag);
        expect(oneSpan(failed, "guard.before_agent")).toMatchObject({ status: "ERROR" });
        expect(failed.status).toBe("ERROR");
      },
    );

    it.skipIf(!fw.createDeepAgent)(
      "a deep agent plans (todos), uses its file tools and delegates to a subagent nested under its task tool",
      async () => {
        const tag = uniqueTag("deep");
        const handler = new DeepAgentsCallbackHandler({ client: h.client, tags: [tag], sessionId: "s-deep" });
        const result = await deepAgent(fw).invoke(
          { messages: [{ role: "user", content: "Write a short report on Lisbon." }] },
          { callbacks: [handler] },
        );
        expect(result.messages.at(-1).content).toBe("The report is in /report.md.");
        expect(result.files["/report.md"]).toBeDefined();
        const [trace] = await h.tagged(tag);
        expect(trace.name).toBe("DeepAgents");
        expect(trace.session_id).toBe("s-deep");
        // Middleware hook nodes (todo list, filesystem, patching) had nothing to show: they are not in the tree.
        const turn = ["model_request (CHAIN)", "  ScriptedDeepModel (LLM)"];
        const tool = (name: string) => ["tools (CHAIN)", `  ${name} (TOOL)`];
        const indent = (lines: string[], n: number) => lines.map((l) => `${"  ".repeat(n)}${l}`);
        expect(outline(trace)).toEqual([
          "DeepAgents (AGENT)",
          ...indent([...turn, ...tool("write_todos"), ...turn, ...tool("task")], 1),
          "      researcher (AGENT)",
          ...indent([...turn, ...tool("write_file"), ...turn, ...tool("read_file"), ...turn], 4),
          ...indent([...turn, ...tool("write_file"), ...turn], 1),
        ]);
        const todos = oneSpan(trace, "write_todos");
        expect(todos.input).toEqual({
          todos: [
            { content: "Research Lisbon", status: "in_progress" },
            { content: "Write the report", status: "pending" },
          ],
        });
        const task = oneSpan(trace, "task");
        expect(task.input).toEqual({ description: "Find one fact about Lisbon", subagent_type: "researcher" });
        const researcher = oneSpan(trace, "researcher");
        expect(researcher.parent_span_id).toBe(task.span_id);
        expect((researcher.input as any).messages).toEqual([{ role: "user", content: "Find one fact about Lisbon" }]);
        expect(trace.input).toEqual({ messages: [{ role: "user", content: "Write a short report on Lisbon." }] });
        expect(trace.output).toEqual({
          messages: [expect.objectContaining({ role: "assistant", content: "The report is in /report.md." })],
        });
        const [notes, report] = spansNamed(trace, "write_file");
        expect(notes.input).toEqual({ file_path: "/notes.md", content: "Lisbon is the capital of Portugal." });
        expect(report.input).toMatchObject({ file_path: "/report.md" });
        expect(report.parent_span_id).not.toBe(notes.parent_span_id);
        expect(JSON.stringify(oneSpan(trace, "read_file").output)).toContain("Lisbon is the capital of Portugal.");
        const llms = trace.spans.filter((s) => s.kind === "LLM");
        expect(llms).toHaveLength(7);
        for (const llm of llms) expect(llm.token_usage).toMatchObject(CORE_USAGE);
        expectSpansNest(trace);
      },
    );
  });
}
