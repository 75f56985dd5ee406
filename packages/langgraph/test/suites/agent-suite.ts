/** Agents: prebuilt ReAct agent, `createAgent`, streaming with `streamMode: "messages"`. */
import { toMicros } from "@pandaprobe/testing";
import { describe, expect, it, vi } from "vitest";
import { LangGraphCallbackHandler } from "../../src/index.js";
import type { Frameworks } from "../support/frameworks.js";
import { reactAgent, weatherTools } from "../support/graphs.js";
import { outline, spansNamed } from "@pandaprobe/testing";
import { uniqueTag } from "@pandaprobe/testing/vitest";
import type { Harness } from "@pandaprobe/testing/vitest";
import { makeScriptedModel } from "../support/scripted-model.js";

const USAGE = { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19, cache_read_tokens: 4, reasoning_tokens: 3 };

export function agentSuite(fw: Frameworks, h: Harness): void {
  describe(`agents (${fw.label})`, () => {
    it("ReAct agent with two tools: LLM and TOOL spans under their nodes, routers hidden", async () => {
      const tag = uniqueTag("react");
      const handler = new LangGraphCallbackHandler({ client: h.client, tags: [tag] });
      const out = await reactAgent(fw).invoke(
        { messages: [new fw.HumanMessage("weather in Paris?")] },
        { callbacks: [handler] },
      );
      expect(out.messages.at(-1).content).toBe("Answer: weather in Paris?");

      const [trace] = await h.tagged(tag);
      const names = outline(trace);
      // Routers, sequences and the prebuilt `prompt` step are collapsed into their node.
      const filtered = names.filter((n) => !n.includes("(TOOL)"));
      expect(filtered).toEqual([
        "LangGraph (AGENT)",
        "  agent (CHAIN)",
        "    ScriptedChatModel (LLM)",
        "  tools (CHAIN)",
        "  agent (CHAIN)",
        "    ScriptedChatModel (LLM)",
      ]);
      const tools = trace.spans.filter((s) => s.kind === "TOOL");
      expect(tools.map((t) => t.name).sort()).toEqual(["get_time", "get_weather"]);
      const toolsNode = spansNamed(trace, "tools")[0];
      for (const t of tools) expect(t.parent_span_id).toBe(toolsNode.span_id);
      expect(names.join("\n")).not.toMatch(/RunnableSequence|RunnableLambda|Branch<|ChannelWrite|__start__|prompt/);

      expect(trace.input).toEqual({ messages: [{ role: "user", content: "weather in Paris?" }] });
      expect(trace.output).toEqual({ messages: [{ role: "assistant", content: "Answer: weather in Paris?" }] });

      const [first, second] = spansNamed(trace, "ScriptedChatModel");
      expect(first.token_usage).toMatchObject(USAGE);
      expect(second.token_usage).toMatchObject(USAGE);
      const calls = (first.output as any).messages[0].tool_calls;
      expect(calls).toEqual([
        { id: "call_get_weather", name: "get_weather", args: { city: "Paris" } },
        { id: "call_get_time", name: "get_time", args: { city: "Paris" } },
      ]);
      expect(first.metadata).toMatchObject({ tools: ["get_weather", "get_time"], provider: "scripted" });
      const secondInput = (second.input as any).messages;
      expect(secondInput.map((m: any) => m.role)).toEqual(["user", "assistant", "tool", "tool"]);
      expect(secondInput[2]).toMatchObject({
        role: "tool",
        tool_call_id: "call_get_weather",
        content: "It is 21C in Paris",
      });

      const weather = spansNamed(trace, "get_weather")[0];
      expect(weather.input).toEqual({ city: "Paris" });
      expect(weather.output).toBe("It is 21C in Paris");
      expect(weather.metadata).toMatchObject({ tool_call_id: "call_get_weather" });
      expect(spansNamed(trace, "get_time")[0].metadata).toMatchObject({ tool_call_id: "call_get_time" });
    });

    it.skipIf(!fw.createAgent)("createAgent (langchain v1): model_request and tools nodes", async () => {
      const tag = uniqueTag("create-agent");
      const Model = makeScriptedModel(fw);
      const agent = fw.createAgent!({ model: new Model(), tools: weatherTools(fw), name: "weather_agent" });
      const handler = new LangGraphCallbackHandler({ client: h.client, tags: [tag], userId: "ua" });
      await agent.invoke({ messages: [{ role: "user", content: "weather in Paris?" }] }, { callbacks: [handler] });
      const [trace] = await h.tagged(tag);
      expect(trace.name).toBe("weather_agent");
      const names = outline(trace);
      expect(names[0]).toBe("weather_agent (AGENT)");
      expect(names.filter((n) => n.includes("model_request (CHAIN)"))).toHaveLength(2);
      expect(names.filter((n) => n.includes("(LLM)"))).toHaveLength(2);
      expect(
        names
          .filter((n) => n.includes("(TOOL)"))
          .map((n) => n.trim())
          .sort(),
      ).toEqual(["get_time (TOOL)", "get_weather (TOOL)"]);
      for (const t of [...spansNamed(trace, "get_weather"), ...spansNamed(trace, "get_time")]) {
        const parent = trace.spans.find((s) => s.span_id === t.parent_span_id)!;
        expect(parent.name).toBe("tools");
      }
      expect(names.join("\n")).not.toMatch(/RunnableLambda|__start__/);
      expect(trace.output).toEqual({
        messages: [{ role: "assistant", content: "Answer: weather in Paris?", name: "weather_agent" }],
      });
      expect(trace.user_id).toBe("ua");
    });

    it('streaming with streamMode "messages": completion start time, usage and tool calls from chunks', async () => {
      const tag = uniqueTag("stream");
      const handler = new LangGraphCallbackHandler({ client: h.client, tags: [tag] });
      // A wall clock 5 s behind the monotonic one (NTP step, VM resume): span times must all come from one clock.
      const realNow = Date.now.bind(Date);
      const behind = vi.spyOn(Date, "now").mockImplementation(() => realNow() - 5000);
      let chunks = 0;
      try {
        const stream = await reactAgent(fw).stream(
          { messages: [new fw.HumanMessage("stream please")] },
          { callbacks: [handler], streamMode: "messages" },
        );
        for await (const _ of stream) chunks++;
      } finally {
        behind.mockRestore();
      }
      expect(chunks).toBeGreaterThan(2);
      const [trace] = await h.tagged(tag);
      const llms = spansNamed(trace, "ScriptedChatModel");
      expect(llms).toHaveLength(2);
      for (const llm of llms) {
        expect(llm.completion_start_time).not.toBeNull();
        expect(toMicros(llm.completion_start_time!)!).toBeGreaterThanOrEqual(toMicros(llm.started_at)!);
        expect(toMicros(llm.completion_start_time!)!).toBeLessThanOrEqual(toMicros(llm.ended_at!)!);
        expect(llm.token_usage).toMatchObject(USAGE);
      }
      expect((llms[0].output as any).messages[0].tool_calls.map((c: any) => c.name)).toEqual([
        "get_weather",
        "get_time",
      ]);
      expect((llms[1].output as any).messages[0].content).toBe("Answer: stream please");
      expect(trace.output).toEqual({ messages: [{ role: "assistant", content: "Answer: stream please" }] });
    });
  });
}
