/**
 * Agent runs of the real SDK against the fake Responses API, asserted on what the stand-in received: a tool call,
 * a handoff, guardrails (input and output tripwires), a streamed run, a model error, Chat Completions models, MCP
 * tools, `withTrace` grouping. Every trace's span times nest.
 */
import { oneSpan, outline, spansNamed, type TraceResponse } from "@pandaprobe/testing";
import { expectSpansNest } from "@pandaprobe/testing/vitest";
import { describe, expect, it } from "vitest";
import { EXPECTED_USAGE, WEATHER_ARGS } from "../support/fake-responses-server.js";
import { type Harness, weatherTool } from "../support/harness.js";

/** The outline of an agent's model/tool spans: under turns (0.14+) or straight under the agent (earlier). */
export function agentBody(h: Harness, turns: Array<{ turn: number; spans: string[] }>, depth = 2): string[] {
  const pad = (d: number) => "  ".repeat(d);
  if (!h.hasTurns) return turns.flatMap((t) => t.spans.map((s) => `${pad(depth)}${s}`));
  return turns.flatMap((t) => [
    `${pad(depth)}turn ${t.turn} (CHAIN${t.spans.some((s) => s.endsWith(", ERROR)")) ? ", ERROR" : ""})`,
    ...t.spans.map((s) => `${pad(depth + 1)}${s}`),
  ]);
}

/** The outline of a run of one agent that calls the weather tool once, then answers. */
const weatherRun = (h: Harness, agent = "Weather", llm = "response") => [
  "Agent workflow (CHAIN)",
  `  ${agent} (AGENT)`,
  ...agentBody(h, [
    { turn: 1, spans: [`${llm} (LLM)`, "get_weather (TOOL)"] },
    { turn: 2, spans: [`${llm} (LLM)`] },
  ]),
];

/** A turn span's outline line when the SDK has turns (with ERROR when the run failed in it). */
const turnError = (h: Harness, turn: number, depth: number) =>
  h.hasTurns ? [`${"  ".repeat(depth)}turn ${turn} (CHAIN, ERROR)`] : [];

function checked(h: Harness, traces: TraceResponse[]): TraceResponse[] {
  for (const t of traces) expectSpansNest(t);
  expect(h.processor.openCalls).toBe(0);
  return traces;
}

export function runsSuite(h: Harness): void {
  describe("runs", () => {
    it("a tool call: AGENT > LLM (messages, model, usage) > TOOL (arguments, result, tool call id) > LLM", async () => {
      const { Agent, run } = h.agents;
      const agent = new Agent({
        name: "Weather",
        instructions: "You answer weather questions.",
        model: "fake-tool",
        tools: [weatherTool(h)],
      });
      const result = await run(agent, "Weather in Paris?");
      expect(result.finalOutput).toBe("It is sunny in Paris.");
      const [t] = checked(h, await h.traces(1));
      expect(outline(t)).toEqual(weatherRun(h));
      expect(t).toMatchObject({
        name: "Agent workflow",
        status: "COMPLETED",
        input: { messages: [{ role: "user", content: "Weather in Paris?" }] },
        output: { messages: [{ role: "assistant", content: "It is sunny in Paris." }] },
      });
      const [first, second] = spansNamed(t, "response");
      expect(first).toMatchObject({
        kind: "LLM",
        status: "OK",
        model: "fake-tool-2025-01-01",
        token_usage: EXPECTED_USAGE,
        input: {
          messages: [
            { role: "system", content: "You answer weather questions." },
            { role: "user", content: "Weather in Paris?" },
          ],
        },
        metadata: expect.objectContaining({ response_id: expect.stringMatching(/^resp_/), tools: ["get_weather"] }),
        model_parameters: expect.objectContaining({ temperature: 1, top_p: 1 }),
      });
      const call = (first.output as any).messages[0].tool_calls[0];
      expect(call).toMatchObject({ type: "function", function: { name: "get_weather", arguments: WEATHER_ARGS } });
      const tool = oneSpan(t, "get_weather");
      expect(tool).toMatchObject({
        kind: "TOOL",
        status: "OK",
        input: { city: "Paris" },
        output: { city: "Paris", sky: "sunny" },
        metadata: { tool_call_id: call.id },
      });
      expect((second.input as any).messages.slice(2)).toEqual([
        { role: "assistant", content: null, tool_calls: [call] },
        { role: "tool", tool_call_id: call.id, content: '{"city":"Paris","sky":"sunny"}' },
      ]);
      expect(second.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny in Paris." }] });
      // The AGENT span and the root show the conversation: the first model input, the last model output.
      const agentSpan = oneSpan(t, "Weather");
      expect(agentSpan).toMatchObject({
        input: first.input,
        output: second.output,
        metadata: { tools: ["get_weather"] },
      });
      expect(oneSpan(t, "Agent workflow")).toMatchObject({ input: first.input, output: second.output });
      expect(t.metadata).toMatchObject({ framework_trace_id: expect.stringMatching(/^trace_[0-9a-f]{32}$/) });
      // What the model received is what the SDK sent: the processor adds nothing to requests.
      expect(h.fake.requests).toHaveLength(2);
      expect(h.fake.requests[0].body).toMatchObject({ model: "fake-tool", input: [{ role: "user" }] });
      expect(JSON.stringify(h.fake.requests.map((r) => r.body))).not.toMatch(/pandaprobe/i);
    });

    it("a handoff between two agents: both AGENT spans, the handoff a TOOL span with from_agent/to_agent", async () => {
      const { Agent, run } = h.agents;
      const weather = new Agent({
        name: "Weather",
        instructions: "weather",
        model: "fake-tool",
        tools: [weatherTool(h)],
      });
      const triage = new Agent({ name: "Triage", instructions: "route", model: "fake-handoff", handoffs: [weather] });
      const result = await run(triage, "Weather in Paris?");
      expect(result.finalOutput).toBe("It is sunny in Paris.");
      expect(result.lastAgent.name).toBe("Weather");
      const [t] = checked(h, await h.traces(1));
      const turns = h.hasTurns;
      expect(outline(t)).toEqual([
        "Agent workflow (CHAIN)",
        "  Triage (AGENT)",
        ...agentBody(h, [{ turn: 1, spans: ["response (LLM)", "handoff (TOOL)"] }]),
        "  Weather (AGENT)",
        ...agentBody(h, [
          { turn: 2, spans: ["response (LLM)", "get_weather (TOOL)"] },
          { turn: 3, spans: ["response (LLM)"] },
        ]),
      ]);
      expect(oneSpan(t, "handoff")).toMatchObject({
        kind: "TOOL",
        status: "OK",
        metadata: { from_agent: "Triage", to_agent: "Weather" },
      });
      expect(oneSpan(t, "Triage").metadata).toMatchObject({ handoffs: ["Weather"] });
      const handoffCall = (spansNamed(t, "response")[0].output as any).messages[0].tool_calls[0];
      expect(handoffCall.function.name).toMatch(/^transfer_to_/);
      expect(t.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny in Paris." }] });
      expect(turns ? spansNamed(t, "turn 2") : []).toHaveLength(turns ? 1 : 0);
    });

    it("an input guardrail's tripwire: the run throws as without PandaProbe; the guardrail span says it tripped", async () => {
      const { Agent, run, InputGuardrailTripwireTriggered } = h.agents;
      const agent = new Agent({
        name: "Guarded",
        model: "fake-echo",
        inputGuardrails: [
          { name: "no_secrets", execute: async () => ({ tripwireTriggered: true, outputInfo: { reason: "secret" } }) },
        ],
      });
      const error = await run(agent, "my password is hunter2").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputGuardrailTripwireTriggered);
      const [t] = checked(h, await h.traces(1));
      expect(t.status).toBe("ERROR");
      const guard = oneSpan(t, "no_secrets");
      expect(guard).toMatchObject({ kind: "CHAIN", status: "OK", metadata: { guardrail_triggered: true } });
      const root = oneSpan(t, "Agent workflow");
      expect(root.status).toBe("ERROR");
      expect(root.error).toMatch(/Input guardrail triggered/);
      expect(oneSpan(t, "Guarded").status).toBe("ERROR");
      if (h.hasTurns) expect(root.metadata).toMatchObject({ error_name: "InputGuardrailTripwireTriggered" });
    });

    it("an output guardrail's tripwire, and a guardrail that passes", async () => {
      const { Agent, run, OutputGuardrailTripwireTriggered } = h.agents;
      const passes = { name: "polite", execute: async () => ({ tripwireTriggered: false, outputInfo: {} }) };
      const agent = new Agent({
        name: "Echo",
        model: "fake-echo",
        outputGuardrails: [
          passes,
          { name: "no_echo", execute: async () => ({ tripwireTriggered: true, outputInfo: {} }) },
        ],
      });
      const error = await run(agent, "hello").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OutputGuardrailTripwireTriggered);
      const [t] = checked(h, await h.traces(1));
      expect(t.status).toBe("ERROR");
      expect(oneSpan(t, "no_echo").metadata).toEqual({ guardrail_triggered: true });
      expect(oneSpan(t, "polite")).toMatchObject({ status: "OK", metadata: { guardrail_triggered: false } });
      // The model answered before the guardrail stopped the run: its call is recorded in full.
      expect(oneSpan(t, "response")).toMatchObject({
        status: "OK",
        output: { messages: [{ role: "assistant", content: "echo: hello" }] },
      });
      expect(oneSpan(t, "Agent workflow").error).toMatch(/Output guardrail triggered/);

      const ok = new Agent({ name: "Echo", model: "fake-echo", outputGuardrails: [passes] });
      expect((await run(ok, "hi")).finalOutput).toBe("echo: hi");
      const [, t2] = checked(h, await h.traces(2));
      expect(t2.status).toBe("COMPLETED");
      expect(oneSpan(t2, "polite").metadata).toEqual({ guardrail_triggered: false });
    });

    it("a streamed run (run(..., { stream: true })): the same trace, recorded when the stream is done", async () => {
      const { Agent, run } = h.agents;
      const agent = new Agent({
        name: "Weather",
        instructions: "weather",
        model: "fake-tool",
        tools: [weatherTool(h)],
      });
      const stream = await run(agent, "Weather in Paris?", { stream: true });
      let text = "";
      for await (const chunk of stream.toTextStream()) text += chunk;
      await stream.completed;
      expect(text).toBe("It is sunny in Paris.");
      expect(stream.finalOutput).toBe("It is sunny in Paris.");
      expect(h.fake.requests.every((r) => r.body.stream === true)).toBe(true);
      const [t] = checked(h, await h.traces(1));
      expect(outline(t)).toEqual(weatherRun(h));
      expect(t).toMatchObject({
        status: "COMPLETED",
        output: { messages: [{ role: "assistant", content: "It is sunny in Paris." }] },
      });
      const last = spansNamed(t, "response")[1];
      expect(last).toMatchObject({ model: "fake-tool-2025-01-01", token_usage: EXPECTED_USAGE });
      expect(oneSpan(t, "get_weather").metadata).toMatchObject({ tool_call_id: expect.stringMatching(/^call_/) });
    });

    it("a model error: the run rejects with the SDK's own error; the LLM span and the trace are ERROR with the status", async () => {
      const { Agent, run } = h.agents;
      const error = await run(new Agent({ name: "Broken", model: "fake-error" }), "hi").catch((e: any) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/fake bad request/);
      const [t] = checked(h, await h.traces(1));
      expect(outline(t)).toEqual([
        "Agent workflow (CHAIN, ERROR)",
        "  Broken (AGENT, ERROR)",
        ...turnError(h, 1, 2),
        `${h.hasTurns ? "      " : "    "}response (LLM, ERROR)`,
      ]);
      expect(t.status).toBe("ERROR");
      const llm = oneSpan(t, "response");
      expect(llm.error).toMatch(/400 fake bad request/);
      expect(llm.metadata).toMatchObject({ error_status: 400 });
      expect(oneSpan(t, "Agent workflow").error).toMatch(/400 fake bad request/);
    });

    it("a Chat Completions model: generation spans are LLM spans with messages, model and usage", async () => {
      const { Agent, Runner, OpenAIProvider } = h.agents;
      const runner = new Runner({
        modelProvider: new OpenAIProvider({ apiKey: "sk-fake", baseURL: h.fake.baseURL, useResponses: false }),
      });
      const agent = new Agent({ name: "Chat", instructions: "be brief", model: "fake-tool", tools: [weatherTool(h)] });
      const result = await runner.run(agent, "Weather in Paris?");
      expect(result.finalOutput).toBe("It is sunny in Paris.");
      expect(h.fake.requests.map((r) => r.path)).toEqual(["/v1/chat/completions", "/v1/chat/completions"]);
      const [t] = checked(h, await h.traces(1));
      expect(outline(t)).toEqual(weatherRun(h, "Chat", "generation"));
      const [first, second] = spansNamed(t, "generation");
      expect(first).toMatchObject({
        model: "fake-tool-2025-01-01",
        token_usage: EXPECTED_USAGE,
        input: { messages: [{ role: "system", content: "be brief" }, { role: "user" }] },
        metadata: { response_id: expect.stringMatching(/^chatcmpl_/), finish_reason: "tool_calls" },
      });
      const call = (first.output as any).messages[0].tool_calls[0];
      expect(oneSpan(t, "get_weather").metadata).toEqual({ tool_call_id: call.id });
      expect(second.output).toEqual({
        messages: [{ role: "assistant", content: "It is sunny in Paris.", refusal: null }],
      });
    });

    it("MCP tools: listing the server's tools and calling one are TOOL spans with the server's name", async () => {
      const { Agent, run } = h.agents;
      const calls: unknown[] = [];
      // An MCP server the SDK talks to through its MCPServer interface (the network part of MCP, faked).
      const server = {
        name: "docs",
        cacheToolsList: false,
        connect: async () => {},
        close: async () => {},
        invalidateToolsCache: async () => {},
        listTools: async () => [
          {
            name: "get_weather",
            description: "weather from the docs server",
            inputSchema: {
              type: "object",
              properties: { city: { type: "string" } },
              required: ["city"],
              additionalProperties: false,
            },
          },
        ],
        callTool: async (name: string, args: unknown) => {
          calls.push({ name, args });
          return [{ type: "text", text: "sunny (from MCP)" }];
        },
      };
      const agent = new Agent({ name: "Docs", model: "fake-tool", mcpServers: [server] });
      const result = await run(agent, "Weather in Paris?");
      expect(result.finalOutput).toBe("It is sunny in Paris.");
      expect(calls).toEqual([{ name: "get_weather", args: { city: "Paris" } }]);
      const [t] = checked(h, await h.traces(1));
      const tool = oneSpan(t, "get_weather");
      expect(tool).toMatchObject({ kind: "TOOL", status: "OK", input: { city: "Paris" } });
      expect(tool.metadata).toMatchObject({ server_label: "docs", tool_call_id: expect.stringMatching(/^call_/) });
      expect(JSON.stringify(tool.output)).toContain("sunny (from MCP)");
      const listing = spansNamed(t, "mcp_list_tools");
      expect(listing.length).toBeGreaterThan(0);
      expect(listing[0]).toMatchObject({ kind: "TOOL", output: ["get_weather"], metadata: { server_label: "docs" } });
    });

    it("withTrace around two runs: one trace, each run under it; the group id is the session", async () => {
      const { Agent, run, withTrace } = h.agents;
      const agent = new Agent({ name: "Echo", model: "fake-echo" });
      await withTrace(
        "support conversation",
        async () => {
          await run(agent, "first");
          await run(agent, "second");
        },
        { groupId: "thread-42" },
      );
      const [t] = checked(h, await h.traces(1));
      expect(t).toMatchObject({ name: "support conversation", session_id: "thread-42", status: "COMPLETED" });
      expect(t.metadata).toMatchObject({ thread_id: "thread-42" });
      expect(t.output).toEqual({ messages: [{ role: "assistant", content: "echo: second" }] });
      expect(t.input).toEqual({ messages: [{ role: "user", content: "first" }] });
      const lines = outline(t);
      expect(lines[0]).toBe("support conversation (CHAIN)");
      expect(lines.filter((l) => l.trim() === "Echo (AGENT)")).toHaveLength(2);
      if (h.hasTurns) expect(lines.filter((l) => l.trim() === "Agent workflow (CHAIN)")).toHaveLength(2);
    });
  });
}
