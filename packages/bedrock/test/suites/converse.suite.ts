/** Converse and ConverseStream: messages, tool use, reasoning, usage with prompt caching, model, parameters. */
import { describe, expect, it } from "vitest";
import {
  type BedrockUnderTest,
  CLAUDE,
  drain,
  EXPECTED_USAGE,
  MESSAGES,
  onlySpan,
  REPLY,
  SYSTEM,
  TOOL_USE_ID,
  useHarness,
  WEATHER_TOOL,
} from "../support/harness.js";

export function converseSuite(t: BedrockUnderTest): void {
  describe(`${t.label}: Converse`, () => {
    const h = useHarness(t);
    const params = {
      modelId: CLAUDE,
      system: SYSTEM,
      messages: MESSAGES,
      inferenceConfig: { maxTokens: 256, temperature: 0.2, topP: 0.9, stopSequences: ["END"] },
    };

    it("records a standalone trace bedrock-converse: messages in and out, model, parameters, usage with cache, ids", async () => {
      const client = h.wrapped();
      const res = await client.send(new t.sdk.ConverseCommand(params));
      expect(res.output.message.content[0].text).toBe(REPLY);
      const [trace] = await h.traces(1);
      expect(trace.name).toBe("bedrock-converse");
      expect(trace.input).toEqual({ messages: [{ role: "user", content: "Weather in Paris?" }] });
      expect(trace.output).toEqual({ messages: [{ role: "assistant", content: REPLY }] });
      const span = onlySpan(trace);
      expect(span).toMatchObject({ name: "bedrock-converse", kind: "LLM", status: "OK", model: CLAUDE });
      expect(span.input).toEqual({
        messages: [
          { role: "system", content: "You are terse." },
          { role: "user", content: "Weather in Paris?" },
        ],
      });
      expect(span.output).toEqual({ messages: [{ role: "assistant", content: REPLY }] });
      expect(span.token_usage).toEqual(EXPECTED_USAGE);
      expect(span.model_parameters).toEqual({ maxTokens: 256, temperature: 0.2, topP: 0.9, stopSequences: ["END"] });
      expect(span.metadata).toMatchObject({
        finish_reason: "end_turn",
        provider: "bedrock.anthropic",
        request_id: h.fake.requests.length ? expect.any(String) : undefined,
      });
      expect(span.metadata.request_id).toBe(res.$metadata.requestId);
      expect(span.completion_start_time ?? null).toBeNull();
    });

    it("tool use: the assistant's toolUse becomes tool_calls, a toolResult a tool message, tools are named", async () => {
      const client = h.wrapped();
      const toolConfig = { tools: [WEATHER_TOOL], toolChoice: { auto: {} } };
      const messages: any[] = [...MESSAGES];
      const first = await client.send(new t.sdk.ConverseCommand({ modelId: CLAUDE, messages, toolConfig }));
      // The caller appends the reply and the tool's result to the very array it sent: the span has the copy.
      messages.push(first.output.message);
      messages.push({
        role: "user",
        content: [{ toolResult: { toolUseId: TOOL_USE_ID, content: [{ json: { celsius: 24 } }], status: "success" } }],
      });
      await client.send(new t.sdk.ConverseCommand({ modelId: CLAUDE, messages, toolConfig }));
      const traces = await h.traces(2);
      const [a, b] = traces
        .map(onlySpan)
        .sort((x, y) => (x.input as any).messages.length - (y.input as any).messages.length);
      expect(a.input).toEqual({ messages: [{ role: "user", content: "Weather in Paris?" }] });
      const call = {
        id: TOOL_USE_ID,
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Paris"}' },
      };
      expect(a.output).toEqual({ messages: [{ role: "assistant", content: "Let me check.", tool_calls: [call] }] });
      expect(a.metadata).toMatchObject({ finish_reason: "tool_use", tools: ["get_weather"] });
      expect(a.model_parameters).toEqual({ toolChoice: { auto: {} } });
      expect(b.input).toEqual({
        messages: [
          { role: "user", content: "Weather in Paris?" },
          { role: "assistant", content: "Let me check.", tool_calls: [call] },
          { role: "tool", tool_call_id: TOOL_USE_ID, content: '{"celsius":24}' },
        ],
      });
      expect(b.output).toEqual({ messages: [{ role: "assistant", content: REPLY }] });
    });

    it("reasoning goes to reasoning_summary; images and documents are kept as blocks (bytes summarised)", async () => {
      const client = h.wrapped();
      const image = { image: { format: "png", source: { bytes: new Uint8Array([137, 80, 78, 71]) } } };
      await client.send(
        new t.sdk.ConverseCommand({
          modelId: CLAUDE,
          messages: [{ role: "user", content: [{ text: "What is this?" }, image] }],
          additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 }, top_k: 40 },
        }),
      );
      const span = onlySpan((await h.traces(1))[0]);
      expect((span.input as any).messages[0].content).toEqual([
        { text: "What is this?" },
        { image: { format: "png", source: { bytes: "[Uint8Array byteLength=4]" } } },
      ]);
      expect(span.output).toEqual({ messages: [{ role: "assistant", content: REPLY }] });
      expect(span.metadata).toMatchObject({ reasoning_summary: "The user wants weather.", redacted_reasoning: 1 });
      expect(span.model_parameters).toMatchObject({ top_k: 40 });
    });

    it("ConverseStream: the caller gets every event unchanged; the span aggregates text, tool input, usage, first token", async () => {
      const bare = await drain(
        (await h.bare().send(new t.sdk.ConverseStreamCommand({ ...params, toolConfig: { tools: [WEATHER_TOOL] } })))
          .stream,
      );
      const client = h.wrapped();
      const res = await client.send(
        new t.sdk.ConverseStreamCommand({ ...params, toolConfig: { tools: [WEATHER_TOOL] } }),
      );
      const events = await drain(res.stream);
      expect(events).toEqual(bare);
      expect(events.map((e: any) => Object.keys(e)[0])).toContain("contentBlockStart");
      const [trace] = await h.traces(1);
      expect(trace.name).toBe("bedrock-converse");
      const span = onlySpan(trace);
      expect(span.output).toEqual({
        messages: [
          {
            role: "assistant",
            content: "Let me check.",
            tool_calls: [
              { id: TOOL_USE_ID, type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            ],
          },
        ],
      });
      expect(span.token_usage).toEqual(EXPECTED_USAGE);
      expect(span.metadata).toMatchObject({ streamed: true, finish_reason: "tool_use", tools: ["get_weather"] });
      expect(span.metadata.stream_completed).toBeUndefined();
      expect(span.completion_start_time).toBeTruthy();
      expect(span.completion_start_time! >= span.started_at).toBe(true);
      expect(span.completion_start_time! <= span.ended_at!).toBe(true);
    });

    it("ConverseStream with reasoning: reasoning deltas go to reasoning_summary, text to the message", async () => {
      const client = h.wrapped();
      const res = await client.send(
        new t.sdk.ConverseStreamCommand({ ...params, additionalModelRequestFields: { thinking: { type: "enabled" } } }),
      );
      await drain(res.stream);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.output).toEqual({ messages: [{ role: "assistant", content: REPLY }] });
      expect(span.metadata).toMatchObject({ reasoning_summary: "The user wants weather.", redacted_reasoning: 1 });
    });

    it("a Prompt management prompt: its ARN is the model, its variables are in the input", async () => {
      const prompt = "arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT12345:1";
      const client = h.wrapped();
      await client.send(new t.sdk.ConverseCommand({ modelId: prompt, promptVariables: { city: { text: "Paris" } } }));
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.model).toBe(prompt);
      expect(span.input).toEqual({ messages: [], promptVariables: { city: { text: "Paris" } } });
      expect(span.output).toEqual({ messages: [{ role: "assistant", content: REPLY }] });
    });

    it("the model is the id as sent: an inference profile ARN too", async () => {
      const arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6";
      const client = h.wrapped();
      await client.send(new t.sdk.ConverseCommand({ ...params, modelId: arn }));
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.model).toBe(arn);
      expect(span.metadata.provider).toBe("bedrock");
      expect(h.fake.requests[0].modelId).toBe(arn);
    });
  });
}
