/** The SDK's `messages.stream()` helper (`MessageStream`) and its beta twin: traced once each, every event and helper intact. */
import { startTrace } from "@pandaprobe/core";
import { describe, expect, it } from "vitest";
import { withPandaProbe } from "../../src/index.js";
import {
  drain,
  EXPECTED_USAGE,
  MESSAGES,
  MODEL,
  onlySpan,
  type SdkUnderTest,
  THINKING,
  useHarness,
  WEATHER_TOOL,
} from "../support/harness.js";

export function helpersSuite(sdk: SdkUnderTest): void {
  describe(`${sdk.label}: messages.stream()`, () => {
    const h = useHarness(sdk);
    const params = { model: MODEL, max_tokens: 256, messages: MESSAGES };

    it("finalMessage(), text and event listeners work as without the wrapper; one span with the streamed output", async () => {
      const run = async (client: any) => {
        const seen: string[] = [];
        let text = "";
        const stream = client.messages
          .stream({ ...params, tools: [WEATHER_TOOL], thinking: { type: "enabled", budget_tokens: 1024 } })
          .on("streamEvent", (e: any) => seen.push(e.type))
          .on("text", (delta: string) => (text += delta))
          .on("inputJson", () => seen.push("inputJson"))
          .on("thinking", () => seen.push("thinking"))
          .on("signature", () => seen.push("signature"));
        const final = await stream.finalMessage();
        return { seen, text, final, requestId: stream.request_id };
      };
      const wrapped = await run(h.wrapped());
      const bare = await run(h.bare());
      expect(wrapped).toEqual(bare);
      expect(wrapped.final.content.map((b: any) => b.type)).toEqual(["thinking", "redacted_thinking", "tool_use"]);
      expect(wrapped.seen).toContain("signature");
      expect(wrapped.requestId).toBe("req_fake_sse");
      expect(h.fake.requests).toHaveLength(2);
      const [trace] = await h.traces(1);
      expect(trace.spans.filter((s) => s.kind === "LLM")).toHaveLength(1);
      const span = trace.spans.find((s) => s.kind === "LLM")!;
      expect(span.token_usage).toEqual(EXPECTED_USAGE);
      expect(span.metadata).toMatchObject({ streamed: true, reasoning_summary: THINKING, finish_reason: "tool_use" });
      expect((span.output as any).messages[0].tool_calls[0].function).toEqual({
        name: "get_weather",
        arguments: '{"city":"Paris"}',
      });
      expect(trace.spans.find((s) => s.kind === "TOOL")).toMatchObject({
        name: "get_weather",
        parent_span_id: span.span_id,
      });
    });

    it("async iteration of the MessageStream yields the same events; finalText() works", async () => {
      const client = h.wrapped();
      const events = await drain(client.messages.stream(params));
      expect(events.map((e: any) => e.type)).toContain("message_stop");
      expect(await client.messages.stream(params).finalText()).toBe("It is sunny.");
      const traces = await h.traces(2);
      for (const t of traces)
        expect(onlySpan(t).output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
    });

    it("abort() mid-stream: the helper reports the abort as without the wrapper; the span says aborted", async () => {
      const client = h.wrapped();
      const stream = client.messages.stream({ ...params, model: "claude-hang" });
      const closed = h.fake.waitForHangClosed();
      let deltas = 0;
      stream.on("text", () => {
        if (++deltas === 1) stream.abort();
      });
      const error = await stream.finalMessage().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.Anthropic.APIUserAbortError);
      expect(stream.aborted).toBe(true);
      await closed;
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.status).toBe("OK");
      expect(span.metadata).toMatchObject({ stream_aborted: true, stream_completed: false });
      expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It i" }] });
    });

    it("an HTTP error reaches the helper's error event and finalMessage(); the span records it", async () => {
      const client = h.wrapped();
      const options = { headers: { "x-fake-fail": "500x1", "x-fake-id": `stream-500-${sdk.label}` } };
      const stream = client.messages.stream(params, options);
      let emitted: unknown;
      stream.on("error", (e: unknown) => (emitted = e));
      const error = await stream.finalMessage().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.Anthropic.InternalServerError);
      expect(emitted).toBe(error);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span).toMatchObject({ status: "ERROR" });
      expect(span.metadata).toMatchObject({ error_status: 500, error_type: "api_error" });
    });

    it("per-call options pass through the helper; inside a trace it nests", async () => {
      const client = h.wrapped();
      const traceId = crypto.randomUUID();
      await client.messages.stream(params, withPandaProbe({ traceId, userId: "u-helper", name: "plan" })).done();
      await startTrace("agent", { client: h.pp }, () => client.messages.stream(params).finalMessage());
      const traces = await h.traces(2);
      const own = traces.find((t) => t.trace_id === traceId)!;
      expect(own).toMatchObject({ name: "plan", user_id: "u-helper" });
      expect(onlySpan(own).name).toBe("plan");
      const agent = traces.find((t) => t.name === "agent")!;
      expect(agent.spans.map((s) => s.name)).toEqual(["anthropic-messages"]);
      for (const r of h.fake.requests) expect(JSON.stringify(r.body)).not.toMatch(/u-helper|traceId/);
    });

    it.skipIf(!hasToolRunner(sdk))(
      "beta tool runner: one LLM span per model round (its tool runs between them), nested in the enclosing trace",
      async () => {
        const client = h.wrapped();
        const weather = {
          type: "custom",
          name: "get_weather",
          description: "Current weather for a city",
          input_schema: WEATHER_TOOL.input_schema,
          run: (input: { city: string }) => `24°C and sunny in ${input.city}`,
          parse: (input: unknown) => input,
        };
        const final = await startTrace("agent", { client: h.pp }, () =>
          client.beta.messages.toolRunner({ ...params, tools: [weather] }).runUntilDone(),
        );
        expect(final.content.at(-1).text).toBe("It is sunny.");
        const [trace] = await h.traces(1);
        const llm = trace.spans.filter((s) => s.kind === "LLM");
        expect(llm).toHaveLength(h.fake.requests.length);
        expect(llm.length).toBeGreaterThanOrEqual(2);
        for (const s of llm) expect(s.status).toBe("OK");
        expect((llm[0].output as any).messages[0].tool_calls[0].function.name).toBe("get_weather");
        expect((llm.at(-1)!.output as any).messages[0].content).toBe("It is sunny.");
        expect(trace.spans.find((s) => s.kind === "TOOL")).toMatchObject({
          name: "get_weather",
          input: { city: "Paris" },
        });
      },
    );

    it("beta.messages.stream() is traced once", async () => {
      const client = h.wrapped();
      const final = await client.beta.messages.stream(params).finalMessage();
      expect(final.content[0].text).toBe("It is sunny.");
      const span = onlySpan((await h.traces(1))[0]);
      expect(span).toMatchObject({ kind: "LLM", token_usage: EXPECTED_USAGE });
      expect(span.metadata.streamed).toBe(true);
      expect(h.fake.requests).toHaveLength(1);
    });
  });
}

function hasToolRunner(sdk: SdkUnderTest): boolean {
  const client = new sdk.Anthropic({ apiKey: "sk-ant-fake", baseURL: "http://127.0.0.1:9" });
  return typeof client.beta?.messages?.toolRunner === "function";
}
