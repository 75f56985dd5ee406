/** Responses API: input normalisation, tool calls as TOOL spans, reasoning summaries, streaming. */
import { describe, expect, it } from "vitest";
import { drain, EXPECTED_USAGE, spansNamed, useHarness, type OpenAIUnderTest } from "../support/harness.js";

const FN_TOOL = {
  type: "function",
  name: "get_weather",
  parameters: { type: "object", properties: { city: { type: "string" } } },
  strict: false,
};

export function responsesSuite(sdk: OpenAIUnderTest): void {
  describe(`${sdk.label}: responses`, () => {
    const h = useHarness(sdk);

    it("normalises instructions + input to messages and records tool calls as TOOL child spans", async () => {
      const client = h.wrapped();
      const input = [
        {
          role: "user",
          content: [
            { type: "input_text", text: "Weather in " },
            { type: "input_text", text: "Paris?" },
          ],
        },
        { type: "function_call", call_id: "call_0", name: "get_time", arguments: "{}" },
        { type: "function_call_output", call_id: "call_0", output: "noon" },
      ];
      const res = await client.responses.create({
        model: "gpt-5",
        instructions: "Be terse.",
        input,
        tools: [FN_TOOL],
        max_output_tokens: 64,
      });
      expect(res._request_id).toBe("req_fake_123");
      // The fake only answers with a tool call when no function_call_output is sent: send one without it too.
      await client.responses.create({ model: "gpt-5", input: "Weather in Paris?", tools: [FN_TOOL] });
      const traces = await h.traces(2);
      const first = traces.find((t) => (t.spans[0].input as any).messages.length > 1)!;
      const llm = spansNamed(first, "openai-response")[0];
      expect(first.name).toBe("openai-response");
      expect(llm.input).toEqual({
        messages: [
          { role: "system", content: "Be terse." },
          { role: "user", content: "Weather in Paris?" },
          {
            role: "assistant",
            content: null,
            tool_calls: [{ id: "call_0", type: "function", function: { name: "get_time", arguments: "{}" } }],
          },
          { role: "tool", tool_call_id: "call_0", content: "noon" },
        ],
      });
      expect(llm.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
      expect(llm).toMatchObject({ kind: "LLM", model: "gpt-5-2025-01-01", token_usage: EXPECTED_USAGE });
      expect(llm.model_parameters).toMatchObject({ max_output_tokens: 64 });
      expect(llm.metadata).toMatchObject({
        reasoning_summary: "Thinking about weather.",
        status: "completed",
        response_id: "resp_fake1",
      });

      const second = traces.find((t) => t !== first)!;
      const parent = spansNamed(second, "openai-response")[0];
      const fn = spansNamed(second, "get_weather")[0];
      const search = spansNamed(second, "web_search")[0];
      expect(fn).toMatchObject({
        kind: "TOOL",
        parent_span_id: parent.span_id,
        input: { city: "Paris" },
        status: "OK",
      });
      expect(fn.metadata).toMatchObject({ tool_call_id: "call_abc", item_type: "function_call" });
      expect(search).toMatchObject({
        kind: "TOOL",
        parent_span_id: parent.span_id,
        input: { type: "search", query: "weather Paris" },
      });
      expect((parent.output as any).messages[0].tool_calls).toEqual([
        { id: "call_abc", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
      ]);
    });

    it("streams: output from deltas/terminal event, usage from response.completed, first-token time", async () => {
      const client = h.wrapped();
      const events: any[] = await drain(await client.responses.create({ model: "gpt-5", input: "hi", stream: true }));
      expect(events.at(-1).type).toBe("response.completed");
      const [trace] = await h.traces(1);
      const span = spansNamed(trace, "openai-response")[0];
      expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
      expect(span.token_usage).toEqual(EXPECTED_USAGE);
      expect(span.completion_start_time).not.toBeNull();
      expect(span.metadata).toMatchObject({
        streamed: true,
        status: "completed",
        reasoning_summary: "Thinking about weather.",
      });
    });

    it("streams tool calls: TOOL spans open at output_item.added and close at output_item.done", async () => {
      const client = h.wrapped();
      await drain(await client.responses.create({ model: "gpt-5", input: "weather?", tools: [FN_TOOL], stream: true }));
      const [trace] = await h.traces(1);
      const parent = spansNamed(trace, "openai-response")[0];
      const fn = spansNamed(trace, "get_weather")[0];
      expect(fn).toMatchObject({ kind: "TOOL", parent_span_id: parent.span_id, input: { city: "Paris" } });
      expect(spansNamed(trace, "web_search")).toHaveLength(1);
      expect(Date.parse(fn.started_at)).toBeGreaterThanOrEqual(Date.parse(parent.started_at));
      expect((parent.output as any).messages[0].tool_calls[0].function.name).toBe("get_weather");
    });

    it("break mid-stream: partial output, stream_completed false, open TOOL spans closed", async () => {
      const client = h.wrapped();
      const stream = await client.responses.create({
        model: "gpt-5",
        input: "weather?",
        tools: [FN_TOOL],
        stream: true,
      });
      for await (const event of stream) if (event.type === "response.function_call_arguments.delta") break;
      const [trace] = await h.traces(1);
      const parent = spansNamed(trace, "openai-response")[0];
      expect(parent.metadata).toMatchObject({
        stream_completed: false,
        usage_unavailable: true,
        response_id: "resp_fake1",
      });
      const fn = spansNamed(trace, "get_weather")[0];
      expect(fn).toMatchObject({ kind: "TOOL", output: { status: "incomplete" } });
      expect(fn.ended_at).not.toBeNull();
    });

    // beta.responses: every openai 7, and openai 6 from 6.46.0 (the wrapper patches it where the client has it).
    it.runIf("responses" in (new sdk.OpenAI({ apiKey: "sk-test" }).beta ?? {}))(
      "beta.responses.create is traced too",
      async () => {
        const client = h.wrapped();
        await client.beta.responses.create({ model: "gpt-5", input: "hi" });
        expect(h.fake.requests[0].path).toContain("beta=true");
        const [trace] = await h.traces(1);
        expect(spansNamed(trace, "openai-response")[0].output).toEqual({
          messages: [{ role: "assistant", content: "It is sunny." }],
        });
      },
    );
  });
}
