/** Convenience methods that call back into `create`: each logical call is traced exactly once. */
import { startTrace } from "@pandaprobe/core";
import { describe, expect, it } from "vitest";
import { onlySpan, USER_MSGS, useHarness, type OpenAIUnderTest } from "../support/harness.js";

const RESPONSE_FORMAT = {
  type: "json_schema",
  json_schema: {
    name: "w",
    strict: true,
    schema: {
      type: "object",
      properties: { city: { type: "string" }, temp: { type: "number" } },
      required: ["city", "temp"],
      additionalProperties: false,
    },
  },
};

export function helpersSuite(sdk: OpenAIUnderTest): void {
  describe(`${sdk.label}: convenience methods`, () => {
    const h = useHarness(sdk);
    const chatHelpers = (client: any) => (sdk.major === 4 ? client.beta.chat.completions : client.chat.completions);

    it("chat parse is traced once and the parsed result is intact", async () => {
      const client = h.wrapped();
      const res = await chatHelpers(client).parse({
        model: "gpt-4o-mini",
        messages: USER_MSGS,
        response_format: RESPONSE_FORMAT,
      });
      expect(res.choices[0].message.parsed).toEqual({ city: "Paris", temp: 21 });
      const [trace] = await h.traces(1);
      const span = onlySpan(trace);
      expect(span.metadata.sdk_helper).toBe(sdk.major === 4 ? "beta.chat.completions.parse" : "chat.completions.parse");
      expect((span.output as any).messages[0].content).toBe('{"city":"Paris","temp":21}');
      expect(h.fake.requests).toHaveLength(1);
    });

    it("chat parse failing with 500: the caller gets the SDK's error and the span records it", async () => {
      const client = h.wrapped();
      const options = { headers: { "x-fake-fail": "500x1", "x-fake-id": `parse-${sdk.major}` } };
      const error = await chatHelpers(client)
        .parse({ model: "gpt-4o-mini", messages: USER_MSGS, response_format: RESPONSE_FORMAT }, options)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.OpenAI.InternalServerError);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span).toMatchObject({ status: "ERROR", error: expect.stringContaining("fake 500") });
      expect(span.metadata).toMatchObject({
        error_status: 500,
        sdk_helper: sdk.major === 4 ? "beta.chat.completions.parse" : "chat.completions.parse",
      });
    });

    it(".stream() is traced once with the streamed output", async () => {
      const client = h.wrapped({ includeUsage: true });
      const runner = chatHelpers(client).stream({ model: "gpt-4o-mini", messages: USER_MSGS });
      const final = await runner.finalChatCompletion();
      expect(final.choices[0].message.content).toBe("It is sunny.");
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.metadata).toMatchObject({ sdk_helper: "stream", streamed: true });
      expect(span.token_usage).toMatchObject({ prompt_tokens: 12 });
      expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
    });

    it("runTools: one LLM span per create round, nested in the enclosing trace", async () => {
      const client = h.wrapped();
      const tools = [
        {
          type: "function",
          function: {
            name: "get_weather",
            function: (args: { city: string }) => `sunny in ${args.city}`,
            parse: JSON.parse,
            parameters: { type: "object", properties: { city: { type: "string" } } },
          },
        },
      ];
      const content = await startTrace("agent", { client: h.pp }, () =>
        chatHelpers(client).runTools({ model: "gpt-4o-mini", messages: USER_MSGS, tools }).finalContent(),
      );
      expect(content).toBe("It is sunny.");
      const [trace] = await h.traces(1);
      expect(trace.name).toBe("agent");
      expect(trace.spans.map((s) => s.name)).toEqual(["openai-chat", "openai-chat"]);
      expect(h.fake.requests).toHaveLength(2);
      const second = trace.spans.find((s) => (s.input as any).messages.length === 4)!;
      expect((second.input as any).messages[3]).toMatchObject({ role: "tool", content: "sunny in Paris" });
    });

    it("responses.parse and responses.stream are traced once each", async () => {
      const client = h.wrapped();
      const schema = RESPONSE_FORMAT.json_schema.schema;
      const parsed = await client.responses.parse({
        model: "gpt-5",
        input: "hi",
        text: { format: { type: "json_schema", name: "w", strict: true, schema } },
      });
      expect(parsed.output_parsed).toEqual({ city: "Paris", temp: 21 });
      const final = await client.responses.stream({ model: "gpt-5", input: "hi" }).finalResponse();
      expect(final.output.find((o: any) => o.type === "message").content[0].text).toBe("It is sunny.");
      const traces = await h.traces(2);
      expect(h.fake.requests).toHaveLength(2);
      for (const trace of traces) expect(trace.spans.filter((s) => s.kind === "LLM")).toHaveLength(1);
      const streamed = traces.find((t) => t.spans[0].metadata.streamed)!;
      expect(streamed.spans[0].token_usage).toMatchObject({ prompt_tokens: 12 });
    });
  });
}
