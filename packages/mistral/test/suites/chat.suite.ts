/** Chat completions: tool calls, usage, the messages convention, streams, thinking chunks and `chat.parse`. */
import { session, user } from "@pandaprobe/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  drain,
  expectedUsage,
  type MistralUnderTest,
  onlySpan,
  streamedText,
  USER_MSGS,
  useHarness,
  WEATHER_TOOL,
} from "../support/harness.js";

const TOOL_CALL = {
  id: "call_abc",
  type: "function",
  function: { name: "get_weather", arguments: '{"city":"Paris"}' },
};

export function chatSuite(sdk: MistralUnderTest): void {
  describe(`${sdk.label}: chat`, () => {
    const h = useHarness(sdk);

    it("chat.complete with a tool call: a standalone trace, the SDK's own result, usage with cached tokens", async () => {
      const client = h.wrapped();
      const params = {
        model: "mistral-small-latest",
        messages: USER_MSGS,
        tools: [WEATHER_TOOL],
        temperature: 0.2,
        maxTokens: 50,
        randomSeed: 7,
        safePrompt: false,
      };
      const result = await user("u-chat", () => session("s-chat", () => client.chat.complete(params)));
      const plain = await h.bare().chat.complete(params);
      expect(result).toEqual(plain);
      expect(h.fake.requests[0].raw).toBe(h.fake.requests[1].raw);

      const [trace] = await h.traces(1);
      expect(trace).toMatchObject({
        name: "mistral-chat",
        user_id: "u-chat",
        session_id: "s-chat",
        status: "COMPLETED",
      });
      expect(trace.input).toEqual({ messages: [USER_MSGS[1]] });
      const span = onlySpan(trace);
      expect(span).toMatchObject({
        name: "mistral-chat",
        kind: "LLM",
        status: "OK",
        model: "mistral-small-latest-2507",
      });
      expect(span.input).toEqual({ messages: USER_MSGS });
      expect(span.model_parameters).toEqual({ temperature: 0.2, maxTokens: 50, randomSeed: 7, safePrompt: false });
      expect(span.token_usage).toEqual(expectedUsage(sdk));
      expect(span.metadata).toMatchObject({ finish_reason: "tool_calls", response_id: "cmpl-fake1" });
      expect(span.metadata.usage_unavailable).toBeUndefined();
      expect(span.output).toEqual({ messages: [{ role: "assistant", content: null, tool_calls: [TOOL_CALL] }] });
      expect(trace.output).toEqual(span.output);
      expect(span.completion_start_time).toBeNull();
    });

    it("records the conversation in the messages convention (tool_calls, tool_call_id), as sent even if the caller changes it right after", async () => {
      const client = h.wrapped();
      const messages: any[] = [...USER_MSGS];
      const first = await client.chat.complete({ model: "mistral-small-latest", messages, tools: [WEATHER_TOOL] });
      messages.push(first.choices[0].message);
      messages.push({ role: "tool", toolCallId: "call_abc", name: "get_weather", content: '{"celsius":21}' });
      const second = client.chat.complete({ model: "mistral-small-latest", messages, tools: [WEATHER_TOOL] });
      messages.push({ role: "user", content: "And tomorrow?" }); // after the call: not part of it
      expect((await second).choices[0].message.content).toBe("It is sunny.");
      const traces = await h.traces(2);
      expect(onlySpan(traces[0]).input).toEqual({ messages: USER_MSGS });
      expect(onlySpan(traces[1]).input).toEqual({
        messages: [
          ...USER_MSGS,
          { role: "assistant", content: "", tool_calls: [TOOL_CALL] },
          { role: "tool", content: '{"celsius":21}', tool_call_id: "call_abc", name: "get_weather" },
        ],
      });
      expect(traces[1].output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
    });

    it("chat.stream: the caller gets every event as from the bare client; the span has the text, usage and first-token time", async () => {
      const client = h.wrapped();
      const params = { model: "mistral-small-latest", messages: USER_MSGS, temperature: 0.1 };
      const events = await drain(await client.chat.stream(params));
      const bareEvents = await drain(await h.bare().chat.stream(params));
      expect(events).toEqual(bareEvents);
      expect(streamedText(events)).toBe("It is sunny.");
      const [trace] = await h.traces(1);
      const span = onlySpan(trace);
      expect(span).toMatchObject({ name: "mistral-chat", status: "OK", model: "mistral-small-latest-2507" });
      expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
      expect(span.token_usage).toEqual(expectedUsage(sdk));
      expect(span.metadata).toMatchObject({ streamed: true, finish_reason: "stop", response_id: "cmpl-fake1" });
      expect(span.metadata.stream_completed).toBeUndefined();
      expect(span.model_parameters).toEqual({ temperature: 0.1 });
      expect(Date.parse(span.completion_start_time!)).toBeGreaterThanOrEqual(Date.parse(span.started_at));
      expect(Date.parse(span.completion_start_time!)).toBeLessThanOrEqual(Date.parse(span.ended_at!));
    });

    it("chat.stream with a tool call: the streamed call is assembled, finish reason tool_calls", async () => {
      const client = h.wrapped();
      await drain(
        await client.chat.stream({ model: "mistral-small-latest", messages: USER_MSGS, tools: [WEATHER_TOOL] }),
      );
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.output).toEqual({ messages: [{ role: "assistant", content: null, tool_calls: [TOOL_CALL] }] });
      expect(span.metadata.finish_reason).toBe("tool_calls");
      expect(span.completion_start_time).not.toBeNull();
    });

    it.runIf(sdk.contentChunks)(
      "thinking chunks: the reply's text is the content, its thinking the reasoning summary (streamed or not)",
      async () => {
        const client = h.wrapped();
        const params = { model: "magistral-fake", messages: USER_MSGS };
        const result = await client.chat.complete(params);
        expect(result.choices[0].message.content).toHaveLength(2); // the SDK's own chunks, untouched
        await drain(await client.chat.stream(params));
        const traces = await h.traces(2);
        for (const trace of traces) {
          const span = onlySpan(trace);
          expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
          expect(span.metadata.reasoning_summary).toBe("Considering the weather.");
        }
      },
    );

    it.runIf(sdk.parse)(
      "chat.parse: traced once, the parsed result intact, the format recorded as its type",
      async () => {
        const client = h.wrapped();
        const Weather = z.object({ city: z.string(), temp: z.number() });
        const res = await client.chat.parse({
          model: "mistral-small-latest",
          messages: USER_MSGS,
          responseFormat: Weather,
        });
        expect(res.choices[0].message.parsed).toEqual({ city: "Paris", temp: 21 });
        expect(h.fake.requests).toHaveLength(1);
        const stream = await client.chat.parseStream({
          model: "mistral-small-latest",
          messages: USER_MSGS,
          responseFormat: Weather,
        });
        expect(streamedText(await drain(stream))).toBe('{"city":"Paris","temp":21}');
        const traces = await h.traces(2);
        const spans = traces.map(onlySpan);
        expect(spans.map((s) => s.metadata.sdk_helper).sort()).toEqual(["chat.parse", "chat.parseStream"]);
        for (const span of spans) {
          expect(span.name).toBe("mistral-chat");
          expect(span.model_parameters).toEqual({ response_format: { type: "json_schema" } });
          expect((span.output as any).messages[0].content).toBe('{"city":"Paris","temp":21}');
        }
      },
    );
  });
}
