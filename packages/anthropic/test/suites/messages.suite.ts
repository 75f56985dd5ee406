/** `messages.create` (not streamed): what a call records, tools over two turns, thinking, server tools, parse, countTokens, batches. */
import { session, startSpan, startTrace, user } from "@pandaprobe/core";
import { describe, expect, it } from "vitest";
import {
  drain,
  EXPECTED_USAGE,
  MESSAGES,
  MODEL,
  onlySpan,
  SEARCH_RESULTS,
  SEARCH_TOOL,
  type SdkUnderTest,
  SYSTEM,
  THINKING,
  useHarness,
  WEATHER_TOOL,
} from "../support/harness.js";

const IMAGE_DATA = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB".repeat(64);

export function messagesSuite(sdk: SdkUnderTest): void {
  describe(`${sdk.label}: messages.create`, () => {
    const h = useHarness(sdk);

    it("records a call as a standalone trace (system, messages, output, usage, parameters) and returns the SDK's object", async () => {
      const client = h.wrapped();
      const params = {
        model: MODEL,
        max_tokens: 256,
        system: SYSTEM,
        messages: MESSAGES,
        temperature: 0.2,
        top_k: 5,
        stop_sequences: ["STOP"],
        metadata: { user_id: "end-user-hash" },
      };
      const result = await user("u-msg", () => session("s-msg", () => client.messages.create(params)));
      const plain = await h.bare().messages.create(params);
      expect(result).toEqual(plain);
      expect(result._request_id).toBe("req_fake_123");

      const [trace] = await h.traces(1);
      expect(trace).toMatchObject({ name: "anthropic-messages", user_id: "u-msg", session_id: "s-msg" });
      expect(trace.status).toBe("COMPLETED");
      expect(trace.input).toEqual({ messages: [MESSAGES[0]] });
      const span = onlySpan(trace);
      expect(span).toMatchObject({ name: "anthropic-messages", kind: "LLM", status: "OK", model: `${MODEL}-20250101` });
      expect(span.input).toEqual({ messages: [{ role: "system", content: SYSTEM }, ...MESSAGES] });
      expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
      expect(trace.output).toEqual(span.output);
      expect(span.token_usage).toEqual(EXPECTED_USAGE);
      expect(span.model_parameters).toEqual({ max_tokens: 256, temperature: 0.2, top_k: 5, stop_sequences: ["STOP"] });
      expect(span.metadata).toMatchObject({
        finish_reason: "end_turn",
        response_id: "msg_fake1",
        request_id: "req_fake_123",
        provider: "anthropic",
      });
      expect(span.metadata.usage_unavailable).toBeUndefined();
      expect(JSON.stringify(trace)).not.toContain("end-user-hash"); // request metadata is not a model parameter
    });

    it("tool use over two turns: tool_use as the assistant's tool_calls and a TOOL span, tool_result as a tool message, images without their bytes", async () => {
      const client = h.wrapped();
      const image = { type: "image", source: { type: "base64", media_type: "image/png", data: IMAGE_DATA } };
      const messages: any[] = [{ role: "user", content: [{ type: "text", text: "Weather here?" }, image] }];
      const params = { model: MODEL, max_tokens: 256, tools: [WEATHER_TOOL], tool_choice: { type: "auto" } };
      const answer = await startTrace("agent", { client: h.pp }, async () => {
        const first = await client.messages.create({ ...params, messages });
        expect(first.stop_reason).toBe("tool_use");
        messages.push({ role: "assistant", content: first.content });
        messages.push({
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "toolu_01", content: "24°C, sunny" }],
        });
        const second = await client.messages.create({ ...params, messages });
        return second.content[0].text;
      });
      expect(answer).toBe("It is sunny.");

      const [trace] = await h.traces(1);
      expect(JSON.stringify(trace)).not.toContain(IMAGE_DATA.slice(0, 24));
      const [first, second] = trace.spans.filter((s) => s.name === "anthropic-messages");
      const userMessage = {
        role: "user",
        content: [
          { type: "text", text: "Weather here?" },
          {
            type: "image",
            source: {
              type: "base64",
              media_type: "image/png",
              data: expect.stringMatching(/^\[image\/png, \d+ bytes base64, not recorded\]$/),
            },
          },
        ],
      };
      const toolCall = {
        id: "toolu_01",
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Paris"}' },
      };
      expect(first.input).toEqual({ messages: [userMessage] }); // copied at call time: the pushes came later
      expect(first.output).toEqual({ messages: [{ role: "assistant", content: null, tool_calls: [toolCall] }] });
      expect(first.metadata).toMatchObject({ finish_reason: "tool_use", tools: ["get_weather"] });
      expect(first.model_parameters).toMatchObject({ tool_choice: { type: "auto" }, max_tokens: 256 });
      const tool = trace.spans.find((s) => s.kind === "TOOL")!;
      expect(tool).toMatchObject({
        name: "get_weather",
        parent_span_id: first.span_id,
        input: { city: "Paris" },
        status: "OK",
      });
      expect(tool.metadata).toMatchObject({ tool_call_id: "toolu_01" });
      expect(second.input).toEqual({
        messages: [
          userMessage,
          { role: "assistant", content: null, tool_calls: [toolCall] },
          { role: "tool", tool_call_id: "toolu_01", content: "24°C, sunny" },
        ],
      });
      expect(second.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
      expect(trace.spans.filter((s) => s.kind === "TOOL")).toHaveLength(1);
    });

    it("thinking: summarised into reasoning_summary, redacted thinking counted, never a signature (created and streamed)", async () => {
      const client = h.wrapped();
      const params = {
        model: MODEL,
        max_tokens: 2048,
        messages: MESSAGES,
        thinking: { type: "enabled", budget_tokens: 1024 },
      };
      const result = await client.messages.create(params);
      expect(result.content.map((b: any) => b.type)).toEqual(["thinking", "redacted_thinking", "text"]);
      await drain(await client.messages.create({ ...params, stream: true }));
      const traces = await h.traces(2);
      for (const trace of traces) {
        const span = onlySpan(trace);
        expect(span.metadata).toMatchObject({ reasoning_summary: THINKING, redacted_reasoning: 1 });
        expect(span.model_parameters).toMatchObject({ thinking: { type: "enabled", budget_tokens: 1024 } });
        expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
        expect(span.token_usage).toEqual(EXPECTED_USAGE);
        const body = JSON.stringify(trace);
        expect(body).not.toContain("EqQBCgIYAhIM"); // the signature
        expect(body).not.toContain("EmwKAhgBEgy3"); // the redacted thinking's data
      }
    });

    it("server tools: a TOOL span with the search and its results (no encrypted content), counts in metadata (created and streamed)", async () => {
      const client = h.wrapped();
      const params = { model: MODEL, max_tokens: 256, messages: MESSAGES, tools: [SEARCH_TOOL] };
      await client.messages.create(params);
      await drain(await client.messages.create({ ...params, stream: true }));
      const traces = await h.traces(2);
      for (const trace of traces) {
        const llm = trace.spans.find((s) => s.kind === "LLM")!;
        expect(llm.metadata).toMatchObject({ server_tool_use: { web_search_requests: 1 }, tools: ["web_search"] });
        expect(llm.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
        const tool = trace.spans.find((s) => s.kind === "TOOL")!;
        expect(tool).toMatchObject({
          name: "web_search",
          parent_span_id: llm.span_id,
          input: { query: "weather Paris" },
        });
        expect(tool.output).toEqual(SEARCH_RESULTS);
        expect(tool.metadata).toMatchObject({ tool_call_id: "srvtoolu_01", item_type: "server_tool_use" });
        expect(JSON.stringify(trace)).not.toContain("Eo8BCioIAhgB");
      }
    });

    it.skipIf(!hasParse(sdk))(
      "messages.parse (structured outputs) is traced once and the parsed result is intact",
      async () => {
        const client = h.wrapped();
        const schema = {
          type: "object",
          properties: { city: { type: "string" }, temp: { type: "number" } },
          required: ["city", "temp"],
          additionalProperties: false,
        };
        const parsed = await client.messages.parse({
          model: MODEL,
          max_tokens: 256,
          messages: MESSAGES,
          output_config: { format: { type: "json_schema", schema } },
        });
        expect(parsed.parsed_output).toEqual({ city: "Paris", temp: 21 });
        const span = onlySpan((await h.traces(1))[0]);
        expect(span.output).toEqual({ messages: [{ role: "assistant", content: '{"city":"Paris","temp":21}' }] });
        expect(span.model_parameters).toMatchObject({ output_format: "json_schema" });
        expect(h.fake.requests).toHaveLength(1);
      },
    );

    it("countTokens: nothing outside a trace; inside one, an OTHER span with the count (no LLM span)", async () => {
      const client = h.wrapped();
      const params = { model: MODEL, messages: MESSAGES, system: SYSTEM };
      expect(await client.messages.countTokens(params)).toMatchObject({ input_tokens: 42 });
      await startTrace("agent", { client: h.pp }, () =>
        startSpan("plan", {}, async () => {
          const count = await client.messages.countTokens(params);
          expect(count.input_tokens).toBe(42);
        }),
      );
      const traces = await h.traces(1);
      expect(traces.map((t) => t.name)).toEqual(["agent"]);
      const span = traces[0].spans.find((s) => s.name === "anthropic-count-tokens")!;
      expect(span).toMatchObject({ kind: "OTHER", status: "OK", model: MODEL, output: { input_tokens: 42 } });
      expect(span.parent_span_id).toBe(traces[0].spans.find((s) => s.name === "plan")!.span_id);
      expect(span.token_usage).toBeNull();
      expect(traces[0].spans.some((s) => s.kind === "LLM")).toBe(false);
      expect(h.fake.requests).toHaveLength(2);
    });

    it("message batches: one span for the create call, no per-request fan-out", async () => {
      const client = h.wrapped();
      const requests = ["a", "b", "c"].map((id) => ({
        custom_id: id,
        params: { model: MODEL, max_tokens: 64, messages: [{ role: "user", content: `secret question ${id}` }] },
      }));
      const batch = await client.messages.batches.create({ requests });
      expect(batch).toMatchObject({ id: "msgbatch_fake1", processing_status: "in_progress" });
      const [trace] = await h.traces(1);
      expect(trace.name).toBe("anthropic-message-batch");
      const span = onlySpan(trace);
      expect(span).toMatchObject({ kind: "OTHER", status: "OK", input: { requests: 3, models: [MODEL] } });
      expect(span.output).toEqual({
        id: "msgbatch_fake1",
        processing_status: "in_progress",
        request_counts: batch.request_counts,
      });
      expect(span.metadata).toMatchObject({ response_id: "msgbatch_fake1", status: "in_progress" });
      expect(span.metadata.usage_unavailable).toBeUndefined();
      expect(JSON.stringify(trace)).not.toContain("secret question");
    });

    it("beta.messages.create is traced the same way", async () => {
      const client = h.wrapped();
      const result = await client.beta.messages.create({ model: MODEL, max_tokens: 64, messages: MESSAGES });
      expect(result.content[0].text).toBe("It is sunny.");
      expect(h.fake.requests[0].path).toMatch(/^\/v1\/messages(\?beta=true)?$/);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span).toMatchObject({ name: "anthropic-messages", kind: "LLM", token_usage: EXPECTED_USAGE });
    });
  });
}

function hasParse(sdk: SdkUnderTest): boolean {
  const client = new sdk.Anthropic({ apiKey: "sk-ant-fake", baseURL: "http://127.0.0.1:9" });
  return typeof client.messages.parse === "function";
}
