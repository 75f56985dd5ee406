/** StateGraph behaviour: node spans, plumbing hidden, LLM details, subgraphs, errors, interrupts. */
import { describe, expect, it } from "vitest";
import { LangGraphCallbackHandler } from "../../src/index.js";
import type { Frameworks } from "../support/frameworks.js";
import { approvalGraph, failingGraph, subgraphGraph, twoNodeGraph } from "../support/graphs.js";
import { childNames, outline, rootSpan, oneSpan as span } from "@pandaprobe/testing";
import { uniqueTag } from "@pandaprobe/testing/vitest";
import type { Harness } from "@pandaprobe/testing/vitest";
import { MODEL_NAME } from "../support/scripted-model.js";

export function graphSuite(fw: Frameworks, h: Harness): void {
  describe(`StateGraph (${fw.label})`, () => {
    it("a run's own config.metadata userId/sessionId name its trace's user and session (over the handler's), not metadata", async () => {
      const tag = uniqueTag("run-identity");
      const handler = new LangGraphCallbackHandler({
        client: h.client,
        userId: "u-handler",
        sessionId: "s-handler",
        tags: [tag],
      });
      const graph = twoNodeGraph(fw);
      await graph.invoke(
        { topic: "owls" },
        { callbacks: [handler], metadata: { userId: "u-run", sessionId: "s-run", tenant: "acme" } },
      );
      await graph.invoke({ topic: "bats" }, { callbacks: [handler], metadata: { userId: "", tenant: "acme" } });
      const traces = await h.tagged(tag, 2);
      const byTopic = Object.fromEntries(traces.map((t) => [(t.input as { topic: string }).topic, t]));
      expect(byTopic.owls).toMatchObject({ user_id: "u-run", session_id: "s-run", metadata: { tenant: "acme" } });
      expect(byTopic.owls.metadata).not.toHaveProperty("userId");
      expect(byTopic.owls.metadata).not.toHaveProperty("sessionId");
      expect(byTopic.bats).toMatchObject({ user_id: "u-handler", session_id: "s-handler" }); // an empty id names nobody
    });

    it("a run's own config.metadata traceId and tags name its trace, like every integration's per-call ids", async () => {
      const tag = uniqueTag("run-trace-id");
      const handler = new LangGraphCallbackHandler({ client: h.client, tags: [tag] });
      const traceId = crypto.randomUUID();
      await twoNodeGraph(fw).invoke(
        { topic: "owls" },
        { callbacks: [handler], metadata: { traceId, tags: ["vip"], tenant: "acme" } },
      );
      const [trace] = await h.tagged(tag);
      expect(trace.trace_id).toBe(traceId);
      expect(handler.lastTraceId).toBe(traceId);
      expect(trace.tags).toEqual(expect.arrayContaining([tag, "vip"]));
      expect(trace.metadata).toMatchObject({ tenant: "acme" });
      expect(trace.metadata).not.toHaveProperty("traceId");
    });

    it("recordInputs/recordOutputs: false keep state, messages and results out; model and usage stay", async () => {
      const tag = uniqueTag("no-content");
      const handler = new LangGraphCallbackHandler({
        client: h.client,
        tags: [tag],
        recordInputs: false,
        recordOutputs: false,
      });
      await twoNodeGraph(fw).invoke({ topic: "secret topic" }, { callbacks: [handler] });
      const [trace] = await h.tagged(tag);
      expect(JSON.stringify(trace)).not.toMatch(/secret topic|ANSWER/i);
      const llm = span(trace, "ScriptedChatModel");
      expect(llm.model).toBe(`${MODEL_NAME}-2026`);
      expect(llm.token_usage).toMatchObject({ prompt_tokens: 12 });
    });

    it("2-node graph: root, one span per node, the model nested in its node, no plumbing", async () => {
      const tag = uniqueTag("two-node");
      const handler = new LangGraphCallbackHandler({
        client: h.client,
        userId: "u-1",
        sessionId: "s-1",
        tags: [tag],
        metadata: { team: "search" },
      });
      const result = await twoNodeGraph(fw).invoke(
        { topic: "cats" },
        { callbacks: [handler], runName: "my-run", tags: ["user-tag"], metadata: { tenant: "acme" } },
      );
      expect(result.final).toBe("ANSWER: WRITE ABOUT CATS");

      const [trace] = await h.tagged(tag);
      expect(outline(trace)).toEqual([
        "my-run (AGENT)",
        "  write (CHAIN)",
        "    ScriptedChatModel (LLM)",
        "  polish (CHAIN)",
      ]);
      expect(trace.name).toBe("my-run");
      expect(trace.status).toBe("COMPLETED");
      expect(trace.user_id).toBe("u-1");
      expect(trace.session_id).toBe("s-1");
      expect(trace.tags).toEqual(expect.arrayContaining([tag, "user-tag"]));
      expect(trace.tags.some((t) => t.startsWith("graph:") || t.startsWith("langsmith:"))).toBe(false);
      expect(trace.metadata).toMatchObject({ team: "search", tenant: "acme" });
      expect(trace.input).toEqual({ topic: "cats" });
      expect(trace.output).toEqual({
        topic: "cats",
        draft: "Answer: write about cats",
        final: "ANSWER: WRITE ABOUT CATS",
      });

      const write = span(trace, "write");
      expect(write.metadata).toMatchObject({ langgraph_node: "write", langgraph_step: 1 });
      expect(String(write.metadata.langgraph_checkpoint_ns)).toMatch(/^write:/);
      expect(write.metadata).not.toHaveProperty("langgraph_triggers");
      expect(write.input).toEqual({ topic: "cats" });
      expect(write.output).toEqual({ draft: "Answer: write about cats" });

      const llm = span(trace, "ScriptedChatModel");
      expect(llm.parent_span_id).toBe(write.span_id);
      expect(llm.model).toBe(`${MODEL_NAME}-2026`);
      expect(llm.model_parameters).toMatchObject({ temperature: 0.2, max_tokens: 256 });
      expect(JSON.stringify(llm.model_parameters)).not.toContain("sk-secret");
      expect(llm.input).toEqual({ messages: [{ role: "user", content: "write about cats" }] });
      expect(llm.output).toEqual({ messages: [{ role: "assistant", content: "Answer: write about cats" }] });
      expect(llm.token_usage).toMatchObject({
        prompt_tokens: 12,
        completion_tokens: 7,
        total_tokens: 19,
        cache_read_tokens: 4,
        reasoning_tokens: 3,
      });
      expect(llm.status).toBe("OK");
      for (const s of trace.spans) expect(s.ended_at).not.toBeNull();
    });

    it("falls back to llmOutput.tokenUsage when the message has no usage_metadata", async () => {
      const tag = uniqueTag("legacy-usage");
      const { makeScriptedModel } = await import("../support/scripted-model.js");
      const Model = makeScriptedModel(fw);
      const handler = new LangGraphCallbackHandler({ client: h.client, tags: [tag] });
      await twoNodeGraph(fw, new Model({ legacyUsageOnly: true })).invoke({ topic: "dogs" }, { callbacks: [handler] });
      const [trace] = await h.tagged(tag);
      expect(trace.name).toBe("LangGraph");
      expect(span(trace, "ScriptedChatModel").token_usage).toMatchObject({
        prompt_tokens: 12,
        completion_tokens: 7,
        total_tokens: 19,
      });
    });

    it("a subgraph nests under its node, with the full checkpoint namespace", async () => {
      const tag = uniqueTag("subgraph");
      const handler = new LangGraphCallbackHandler({ client: h.client, tags: [tag] });
      expect((await subgraphGraph(fw).invoke({ x: 1 }, { callbacks: [handler] })).x).toBe(20);
      const [trace] = await h.tagged(tag);
      expect(outline(trace)).toEqual([
        "LangGraph (AGENT)",
        "  sub (CHAIN)",
        "    LangGraph (AGENT)",
        "      inner (CHAIN)",
        "  after (CHAIN)",
      ]);
      const inner = span(trace, "inner");
      expect(String(inner.metadata.langgraph_checkpoint_ns)).toMatch(/^sub:[^|]+\|inner:/);
    });

    it("a failing node is an ERROR span and fails the trace; invoke still rejects with the same error", async () => {
      const tag = uniqueTag("failing");
      const handler = new LangGraphCallbackHandler({ client: h.client, tags: [tag] });
      await expect(failingGraph(fw).invoke({ x: 1 }, { callbacks: [handler] })).rejects.toThrow("node failed");
      const [trace] = await h.tagged(tag);
      expect(trace.status).toBe("ERROR");
      expect(outline(trace)).toEqual(["LangGraph (AGENT, ERROR)", "  ok (CHAIN)", "  boom (CHAIN, ERROR)"]);
      const boom = span(trace, "boom");
      expect(boom.status).toBe("ERROR");
      expect(boom.error).toContain("node failed");
      expect(span(trace, "ok").status).toBe("OK");
      expect(rootSpan(trace).status).toBe("ERROR");
    });

    it("interrupt is recorded without failing; the resume is a new trace in the same session (thread_id)", async () => {
      const tag = uniqueTag("interrupt");
      const handler = new LangGraphCallbackHandler({ client: h.client, tags: [tag] });
      const graph = approvalGraph(fw);
      const config = { configurable: { thread_id: `thread-${tag}` }, callbacks: [handler] };
      const first = await graph.invoke({ answer: null }, config);
      expect(first.__interrupt__?.[0]?.value ?? first.__interrupt__).toBeDefined();
      const [paused] = await h.tagged(tag);
      expect(paused.status).toBe("COMPLETED");
      expect(paused.session_id).toBe(`thread-${tag}`);
      expect(paused.metadata).toMatchObject({
        interrupted: true,
        interrupts: [{ question: "approve?" }],
        thread_id: `thread-${tag}`,
      });
      const ask = span(paused, "ask");
      expect(ask.status).toBe("OK");
      expect(ask.error).toBeNull();
      expect(ask.metadata).toMatchObject({ bubble_up: "GraphInterrupt" });
      expect(ask.output).toEqual({ __interrupt__: [{ question: "approve?" }] });
      expect(childNames(paused, rootSpan(paused))).toEqual(["ask"]);

      const resumed = await graph.invoke(new fw.Command({ resume: "yes" }), config);
      expect(resumed.done).toBe("approved=yes");
      const both = await h.tagged(tag, 2);
      const second = both.find((t) => t.trace_id !== paused.trace_id)!;
      expect(second.status).toBe("COMPLETED");
      expect(second.session_id).toBe(`thread-${tag}`);
      expect(second.input).toEqual({ command: { resume: "yes" } });
      expect(childNames(second, rootSpan(second))).toEqual(["ask", "finish"]);
      expect(second.metadata).not.toHaveProperty("interrupted");
      expect(second.metadata).toMatchObject({ langgraph_resume: true, thread_id: `thread-${tag}` });
      expect(paused.metadata).not.toHaveProperty("langgraph_resume");
    });
  });
}
