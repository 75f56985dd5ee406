/** Chat completions: non-streaming with a tool call, streaming with tool-call deltas and usage. */
import { session, user } from "@pandaprobe/core";
import { describe, expect, it } from "vitest";
import {
  drain,
  EXPECTED_USAGE,
  onlySpan,
  USER_MSGS,
  useHarness,
  WEATHER_TOOL,
  type OpenAIUnderTest,
} from "../support/harness.js";

export function chatSuite(sdk: OpenAIUnderTest): void {
  describe(`${sdk.label}: chat.completions`, () => {
    const h = useHarness(sdk);

    it("records a non-streaming call with a tool call as a standalone trace and returns the SDK's object", async () => {
      const client = h.wrapped();
      const params = {
        model: "gpt-4o-mini",
        messages: USER_MSGS,
        tools: [WEATHER_TOOL],
        temperature: 0.2,
        max_tokens: 50,
      };
      const result = await user("u-chat", () => session("s-chat", () => client.chat.completions.create(params)));
      const plain = await h.bare().chat.completions.create(params);
      expect(result).toEqual(plain);
      expect(result._request_id).toBe("req_fake_123");

      const [trace] = await h.traces(1);
      expect(trace.name).toBe("openai-chat");
      expect(trace.user_id).toBe("u-chat");
      expect(trace.session_id).toBe("s-chat");
      expect(trace.status).toBe("COMPLETED");
      expect(trace.input).toEqual({ messages: [USER_MSGS[1]] });
      const span = onlySpan(trace);
      expect(span).toMatchObject({ name: "openai-chat", kind: "LLM", status: "OK", model: "gpt-4o-mini-2024-08-06" });
      expect(span.input).toEqual({ messages: USER_MSGS });
      expect(span.model_parameters).toMatchObject({ temperature: 0.2, max_tokens: 50 });
      expect(span.token_usage).toEqual(EXPECTED_USAGE);
      expect(span.metadata).toMatchObject({
        finish_reason: "tool_calls",
        request_id: "req_fake_123",
        response_id: "chatcmpl-fake1",
      });
      expect(span.metadata.usage_unavailable).toBeUndefined();
      const out = span.output as { messages: Array<Record<string, unknown>> };
      expect(out.messages[0]).toMatchObject({
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_abc", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        ],
      });
      expect(trace.output).toEqual(span.output);
    });

    it("records the messages as sent, even when the caller pushes the reply onto them right after the call", async () => {
      const client = h.wrapped();
      const messages: Array<Record<string, unknown>> = [...USER_MSGS];
      const result = await client.chat.completions.create({ model: "gpt-4o-mini", messages });
      messages.push(result.choices[0].message as unknown as Record<string, unknown>);
      const stream = await client.chat.completions.create({ model: "gpt-4o-mini", messages, stream: true });
      messages.push({ role: "user", content: "And tomorrow?" });
      await drain(stream);
      const traces = await h.traces(2);
      expect(onlySpan(traces[0]).input).toEqual({ messages: USER_MSGS });
      expect(onlySpan(traces[1]).input).toEqual({ messages: [...USER_MSGS, result.choices[0].message] });
    });

    it("assembles streamed tool-call deltas; includeUsage injects stream_options on a copy of the params", async () => {
      const client = h.wrapped({ includeUsage: true });
      const params = { model: "gpt-4o-mini", messages: USER_MSGS, tools: [WEATHER_TOOL], stream: true as const };
      const snapshot = structuredClone(params);
      const chunks = await drain(await client.chat.completions.create(params));
      expect(params).toEqual(snapshot); // the caller's object is untouched
      expect(h.fake.requests[0].body.stream_options).toEqual({ include_usage: true });
      expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 12 } }); // the documented extra chunk

      const span = onlySpan((await h.traces(1))[0]);
      expect(span.status).toBe("OK");
      expect(span.token_usage).toEqual(EXPECTED_USAGE);
      expect(span.completion_start_time).not.toBeNull();
      expect(span.metadata).toMatchObject({
        finish_reason: "tool_calls",
        streamed: true,
        include_usage_injected: true,
        request_id: "req_fake_sse",
      });
      expect(span.output).toEqual({
        messages: [
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "call_abc", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            ],
          },
        ],
      });
    });

    it("streams text without usage: says usage is unavailable instead of recording zeros", async () => {
      const client = h.wrapped();
      const params = { model: "gpt-4o-mini", messages: USER_MSGS, stream: true };
      const chunks = await drain(await client.chat.completions.create(params));
      expect(h.fake.requests[0].body.stream_options).toBeUndefined();
      expect(chunks.map((c: any) => c.choices[0]?.delta?.content ?? "").join("")).toBe("It is sunny.");
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.token_usage).toBeNull();
      expect(span.metadata.usage_unavailable).toBe(true);
      expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
      expect(Date.parse(span.completion_start_time!)).toBeGreaterThanOrEqual(Date.parse(span.started_at));
    });

    it("keeps an explicit stream_options and records refusals", async () => {
      const client = h.wrapped({ includeUsage: true });
      await drain(
        await client.chat.completions.create({
          model: "gpt-refuse",
          messages: USER_MSGS,
          stream: true,
          stream_options: { include_usage: false },
        }),
      );
      expect(h.fake.requests[0].body.stream_options).toEqual({ include_usage: false });
      await client.chat.completions.create({ model: "gpt-refuse", messages: USER_MSGS });
      const traces = await h.traces(2);
      for (const trace of traces) {
        const span = onlySpan(trace);
        expect(span.metadata.refusal).toBe("I can't help with that.");
        expect((span.output as any).messages[0].refusal).toBe("I can't help with that.");
      }
    });

    it("records embeddings as an EMBEDDING span with usage and without vectors", async () => {
      const client = h.wrapped();
      const res = await client.embeddings.create({ model: "text-embedding-3-small", input: ["a", "b"], dimensions: 3 });
      expect(res.data[0].embedding).toHaveLength(3);
      expect(h.fake.requests[0].body.encoding_format).toBe("base64"); // the SDK's own default, untouched
      const [trace] = await h.traces(1);
      expect(trace.name).toBe("openai-embedding");
      const span = onlySpan(trace);
      expect(span).toMatchObject({ kind: "EMBEDDING", model: "text-embedding-3-small", input: ["a", "b"] });
      expect(span.output).toEqual({ embeddings: 2, dimensions: 3 });
      expect(span.token_usage).toMatchObject({ prompt_tokens: 5, total_tokens: 5 });
      expect(span.model_parameters).toMatchObject({ dimensions: 3 });
      expect(JSON.stringify(trace)).not.toMatch(/\[0\.1,0\.2/); // the fake vectors are [0.1, 0.2, 0.3]
    });
  });
}
