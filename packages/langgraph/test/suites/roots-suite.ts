/** Non-graph roots, duplicate delivery, nesting of user code, robustness. */
import { describe, expect, it, vi } from "vitest";
import { score, session, startSpan, user } from "@pandaprobe/core";
import { LangGraphCallbackHandler } from "../../src/index.js";
import type { Frameworks } from "../support/frameworks.js";
import {
  failingGraph,
  manualSpanGraph,
  reactAgent,
  subgraphGraph,
  twoNodeGraph,
  weatherTools,
} from "../support/graphs.js";
import { childNames, outline, rootSpan, oneSpan as span } from "@pandaprobe/testing";
import { expectSpansNest, uniqueTag } from "@pandaprobe/testing/vitest";
import type { Harness } from "@pandaprobe/testing/vitest";
import { makeScriptedModel, MODEL_NAME } from "../support/scripted-model.js";

export function rootsSuite(fw: Frameworks, h: Harness): void {
  describe(`roots and context (${fw.label})`, () => {
    it("a chat model invoked directly is its own root and trace, user/session from the calling context", async () => {
      const tag = uniqueTag("chat-root");
      const Model = makeScriptedModel(fw);
      const handler = new LangGraphCallbackHandler({ client: h.client, tags: [tag] });
      const msg = await user("u-chat", () =>
        session("s-chat", () => new Model().invoke([new fw.HumanMessage("hello")], { callbacks: [handler] })),
      );
      expect(msg.content).toBe("Answer: hello");
      const [trace] = await h.tagged(tag);
      expect(outline(trace)).toEqual(["ScriptedChatModel (LLM)"]);
      expect(trace.name).toBe("ScriptedChatModel");
      expect(trace.user_id).toBe("u-chat");
      expect(trace.session_id).toBe("s-chat");
      expect(trace.input).toEqual({ messages: [{ role: "user", content: "hello" }] });
      expect(trace.output).toEqual({ messages: [{ role: "assistant", content: "Answer: hello" }] });
      expect(rootSpan(trace).model).toBe(`${MODEL_NAME}-2026`);
    });

    it("a failing chat model root: ERROR span and trace, the error reaches the caller", async () => {
      const tag = uniqueTag("chat-fail");
      const Model = makeScriptedModel(fw);
      const handler = new LangGraphCallbackHandler({ client: h.client, tags: [tag] });
      await expect(new Model({ failWith: "model down" }).invoke("hi", { callbacks: [handler] })).rejects.toThrow(
        "model down",
      );
      const [trace] = await h.tagged(tag);
      expect(trace.status).toBe("ERROR");
      expect(rootSpan(trace)).toMatchObject({ kind: "LLM", status: "ERROR" });
      expect(rootSpan(trace).error).toContain("model down");
    });

    it("tool and retriever roots; a tool error is an ERROR span", async () => {
      const tag = uniqueTag("tool-roots");
      const handler = new LangGraphCallbackHandler({ client: h.client, tags: [tag] });
      const [getWeather] = weatherTools(fw);
      expect(await getWeather.invoke({ city: "Rome" }, { callbacks: [handler] })).toBe("It is 21C in Rome");
      const failing = fw.tool(
        async () => {
          throw new Error("tool broke");
        },
        { name: "broken", description: "fails", schema: fw.z.object({}) },
      );
      await expect(failing.invoke({}, { callbacks: [handler] })).rejects.toThrow("tool broke");
      const { Document } = await import("@langchain/core/documents").catch(() => ({ Document: undefined as any }));
      const docs = Document
        ? [new Document({ pageContent: "Paris is in France", metadata: { source: "wiki" } })]
        : [{ pageContent: "Paris is in France", metadata: { source: "wiki" } }];
      const retriever = new fw.FakeRetriever({ output: docs });
      await retriever.invoke("where is Paris", { callbacks: [handler] });

      const traces = await h.tagged(tag, 3);
      const byKind = (k: string) => traces.find((t) => rootSpan(t).kind === k)!;
      // Two TOOL roots: the traces arrive in any order (core sends traces with an error first).
      const tool = traces.find((t) => t.name === "get_weather")!;
      expect(rootSpan(tool).kind).toBe("TOOL");
      expect(rootSpan(tool).input).toEqual({ city: "Rome" });
      expect(rootSpan(tool).output).toBe("It is 21C in Rome");
      const broken = traces.find((t) => t.name === "broken")!;
      expect(broken.status).toBe("ERROR");
      expect(rootSpan(broken).error).toContain("tool broke");
      const ret = byKind("RETRIEVER");
      expect(rootSpan(ret).input).toEqual({ query: "where is Paris" });
      expect(rootSpan(ret).output).toEqual([{ page_content: "Paris is in France", metadata: { source: "wiki" } }]);
    });

    it("duplicate callback delivery (the handler registered twice) changes nothing", async () => {
      const tag = uniqueTag("dup");
      const handler = new LangGraphCallbackHandler({ client: h.client, tags: [tag] });
      await reactAgent(fw).invoke({ messages: [new fw.HumanMessage("dup?")] }, { callbacks: [handler, handler] });
      const tagOnce = uniqueTag("once");
      const once = new LangGraphCallbackHandler({ client: h.client, tags: [tagOnce] });
      await reactAgent(fw).invoke({ messages: [new fw.HumanMessage("dup?")] }, { callbacks: [once] });
      const [dup] = await h.tagged(tag);
      const [single] = await h.tagged(tagOnce);
      expect(outline(dup)).toEqual(outline(single));
      expect(new Set(dup.spans.map((s) => s.span_id)).size).toBe(dup.spans.length);
      expect((handler as any).tree.runs.size).toBe(0);
      expect(handler.openCalls).toBe(0);
    });

    it("a core startSpan inside a node nests under that node's span", async () => {
      const tag = uniqueTag("nest");
      const handler = new LangGraphCallbackHandler({ client: h.client, tags: [tag] });
      expect((await manualSpanGraph(fw).invoke({ x: 2 }, { callbacks: [handler] })).x).toBe(4);
      const [trace] = await h.tagged(tag);
      expect(outline(trace)).toEqual(["LangGraph (AGENT)", "  work (CHAIN)", "    manual-step (OTHER)"]);
      expect(span(trace, "manual-step")).toMatchObject({ input: 2, output: 4, status: "OK" });
    });

    it("a top-level run's trace id is its run id: pass your own runId to score the trace, even before the run ends", async () => {
      const tag = uniqueTag("run-id");
      const handler = new LangGraphCallbackHandler({ client: h.client, tags: [tag] });
      expect(handler.lastTraceId).toBeUndefined();
      const runId = crypto.randomUUID();
      const agent = reactAgent(fw);
      const running = agent.invoke(
        { messages: [new fw.HumanMessage("weather in Oslo?")] },
        { callbacks: [handler], runId },
      );
      expect(score({ traceId: runId, name: "helpful", value: 1, client: h.client })).toBe(true); // waits for the trace
      await running;
      expect(handler.lastTraceId).toBe(runId);
      // Without a runId of your own, lastTraceId names the trace (one invocation at a time).
      await agent.invoke({ messages: [new fw.HumanMessage("and in Rome?")] }, { callbacks: [handler] });
      const second = handler.lastTraceId!;
      expect(second).not.toBe(runId);
      const traces = await h.tagged(tag, 2);
      expect(traces.map((t) => t.trace_id).sort()).toEqual([runId, second].sort());
      await h.client.flush();
      const scored = await h.standIn.waitForRequests(
        (r) =>
          r.path === "/evaluations/trace-scores" &&
          r.status === 201 &&
          (r.body as { trace_id: string }).trace_id === runId,
      );
      expect(scored).toHaveLength(1);
    });

    it("a graph invoked inside an active span joins that trace instead of starting one", async () => {
      const tag = uniqueTag("outer");
      const handler = new LangGraphCallbackHandler({ client: h.client });
      await startSpan("request", { kind: "CHAIN", trace: { client: h.client, tags: [tag] } }, () =>
        twoNodeGraph(fw).invoke({ topic: "owls" }, { callbacks: [handler] }),
      );
      expect(handler.lastTraceId).toBeUndefined(); // the run is a span of the caller's trace
      const [trace] = await h.tagged(tag);
      expect(trace.name).toBe("request");
      expect(outline(trace)).toEqual([
        "request (CHAIN)",
        "  LangGraph (AGENT)",
        "    write (CHAIN)",
        "      ScriptedChatModel (LLM)",
        "    polish (CHAIN)",
      ]);
    });

    it("inside an active span, a span opened in a node still nests under the node", async () => {
      const tag = uniqueTag("outer-nest");
      const handler = new LangGraphCallbackHandler({ client: h.client });
      await startSpan("request", { kind: "CHAIN", trace: { client: h.client, tags: [tag] } }, () =>
        manualSpanGraph(fw).invoke({ x: 3 }, { callbacks: [handler] }),
      );
      const [trace] = await h.tagged(tag);
      expect(outline(trace)).toEqual([
        "request (CHAIN)",
        "  LangGraph (AGENT)",
        "    work (CHAIN)",
        "      manual-step (OTHER)",
      ]);
    });

    it("50 concurrent invocations through one handler under different user()/session() scopes stay apart", async () => {
      const tag = uniqueTag("concurrent");
      const handler = new LangGraphCallbackHandler({ client: h.client, tags: [tag] });
      const agent = reactAgent(fw);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          user(`user-${i}`, () =>
            session(`session-${i}`, () =>
              agent.invoke({ messages: [new fw.HumanMessage(`question ${i}`)] }, { callbacks: [handler] }),
            ),
          ),
        ),
      );
      results.forEach((r, i) => expect(r.messages.at(-1).content).toBe(`Answer: question ${i}`));
      const traces = await h.tagged(tag, 50);
      const ids = new Set<string>();
      for (const t of traces) {
        const i = Number(/^user-(\d+)$/.exec(t.user_id ?? "")?.[1]);
        expect(t.session_id).toBe(`session-${i}`);
        expect(t.input).toEqual({ messages: [{ role: "user", content: `question ${i}` }] });
        expect(t.output).toEqual({ messages: [{ role: "assistant", content: `Answer: question ${i}` }] });
        expect(t.spans.filter((s) => s.kind === "LLM")).toHaveLength(2);
        expect(t.spans.filter((s) => s.kind === "TOOL")).toHaveLength(2);
        for (const s of t.spans) {
          expect(ids.has(s.span_id)).toBe(false);
          ids.add(s.span_id);
          if (s.kind === "LLM") expect(JSON.stringify(s.input)).toContain(`question ${i}`);
        }
      }
      expect(new Set(traces.map((t) => t.user_id)).size).toBe(50);
      expect((handler as any).tree.runs.size).toBe(0);
    });

    it("span times nest (agents, subgraphs, failures, nested in a caller's span), on one clock", async () => {
      const tag = uniqueTag("times");
      const handler = new LangGraphCallbackHandler({ client: h.client, tags: [tag] });
      const realNow = Date.now.bind(Date);
      const behind = vi.spyOn(Date, "now").mockImplementation(() => realNow() - 5000);
      try {
        await reactAgent(fw).invoke({ messages: [new fw.HumanMessage("weather in Oslo?")] }, { callbacks: [handler] });
        await subgraphGraph(fw).invoke({ x: 1 }, { callbacks: [handler] });
        await failingGraph(fw)
          .invoke({ x: 1 }, { callbacks: [handler] })
          .catch(() => undefined);
        await startSpan("request", { trace: { client: h.client, tags: [tag] } }, () =>
          twoNodeGraph(fw).invoke({ topic: "owls" }, { callbacks: [handler] }),
        );
      } finally {
        behind.mockRestore();
      }
      const traces = await h.tagged(tag, 4);
      for (const t of traces) expectSpansNest(t);
    });

    it("handler methods never throw, whatever they are given", () => {
      const handler = new LangGraphCallbackHandler({ client: h.client });
      const internal: string[] = [];
      const off = h.client.onError((e) => void (e.kind === "internal" && internal.push(e.message)));
      const junk: any[] = [undefined, null, 42, "x", { generations: "no" }, Object.create(null)];
      for (const j of junk) {
        expect(() => handler.handleChainStart(j, j, "run-x", j, j, j, j, j)).not.toThrow();
        expect(() => handler.handleLLMEnd(j, "run-x")).not.toThrow();
        expect(() => handler.handleChainEnd(j, "unknown")).not.toThrow();
        expect(() => handler.handleChainError(j, "run-x")).not.toThrow();
        expect(() => handler.handleToolEnd(j, "unknown")).not.toThrow();
        expect(() => handler.handleLLMNewToken("t", j, "unknown")).not.toThrow();
        expect(() => handler.handleToolStart(j, j, "tool-x", j, j, j, j, j)).not.toThrow();
        expect(() => handler.handleToolError(j, "tool-x")).not.toThrow();
        expect(() => handler.handleRetrieverStart(j, j, "ret-x", j, j, j, j)).not.toThrow();
        expect(() => handler.handleRetrieverEnd(j, "ret-x")).not.toThrow();
      }
      // Odd input is handled, not merely caught.
      expect(internal).toEqual([]);
      // Input that throws when read is caught and reported as internal, never thrown.
      const hostile = {
        get name(): string {
          throw new Error("hostile getter");
        },
      };
      expect(() => handler.handleChainStart(hostile, {}, "run-h")).not.toThrow();
      off();
      expect(internal).toHaveLength(1);
      expect(internal[0]).toContain("hostile getter");
    });

    it("root input without messages keeps the raw values; node inputs keep their state", async () => {
      const tag = uniqueTag("raw");
      const handler = new LangGraphCallbackHandler({ client: h.client, tags: [tag] });
      await twoNodeGraph(fw).invoke({ topic: "bats" }, { callbacks: [handler] });
      const [trace] = await h.tagged(tag);
      expect(childNames(trace, rootSpan(trace))).toEqual(["write", "polish"]);
      expect(span(trace, "polish").input).toEqual({ topic: "bats", draft: "Answer: write about bats" });
    });
  });
}
