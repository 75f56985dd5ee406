/**
 * The Bedrock and Vertex clients (`@anthropic-ai/bedrock-sdk`, `@anthropic-ai/vertex-sdk`) subclass the SDK's base
 * client and rewrite each request for their platform (Bedrock: `/model/{model}/invoke[-with-response-stream]`,
 * SigV4-signed, streams in AWS EventStream frames; Vertex: `.../models/{model}:[stream]rawPredict`, an OAuth token,
 * SSE): wrapped the same way, they record the same spans, with their provider.
 */
import { startTrace } from "@pandaprobe/core";
import { describe, expect, it } from "vitest";
import { wrapAnthropic } from "../../src/index.js";
import type { FakeAnthropic } from "../support/fake-anthropic-server.js";
import {
  drain,
  EXPECTED_USAGE,
  MESSAGES,
  MODEL,
  onlySpan,
  type SdkUnderTest,
  useHarness,
  WEATHER_TOOL,
} from "../support/harness.js";

export interface PlatformUnderTest {
  label: string;
  /** `META.PROVIDER` of its spans. */
  provider: string;
  /** A client of the platform SDK sending to the fake server. */
  client(fake: FakeAnthropic, options?: Record<string, unknown>): any;
  /** The path a message request takes on the platform. */
  path(model: string, stream: boolean): string;
  /** Whether the platform serves `messages.countTokens`. */
  countTokens: boolean;
}

export function platformSuite(platform: PlatformUnderTest): void {
  describe(platform.label, () => {
    // The harness's Anthropic client is not used here: the platform's own client is.
    const h = useHarness({ label: platform.label } as SdkUnderTest);
    const params = { model: MODEL, max_tokens: 256, messages: MESSAGES };
    const wrapped = (options?: Record<string, unknown>) =>
      wrapAnthropic(platform.client(h.fake, options), { client: h.pp });

    it("messages.create: the platform's request, the same span, with its provider", async () => {
      const bare = await platform.client(h.fake).messages.create(params);
      const result = await wrapped().messages.create(params);
      expect(result).toEqual(bare);
      expect(h.fake.requests.map((r) => r.path)).toEqual([platform.path(MODEL, false), platform.path(MODEL, false)]);
      expect(h.fake.requests[1].body).toEqual(h.fake.requests[0].body);
      const [trace] = await h.traces(1);
      expect(trace.name).toBe("anthropic-messages");
      const span = onlySpan(trace);
      expect(span).toMatchObject({
        kind: "LLM",
        status: "OK",
        model: `${MODEL}-20250101`,
        token_usage: EXPECTED_USAGE,
      });
      expect(span.input).toEqual({ messages: MESSAGES });
      expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
      expect(span.metadata).toMatchObject({ provider: platform.provider, finish_reason: "end_turn" });
    });

    it("messages.create({ stream: true }): every event reaches the caller, the span has the aggregate", async () => {
      const bare: any[] = await drain(await platform.client(h.fake).messages.create({ ...params, stream: true }));
      const events: any[] = await drain(
        await wrapped().messages.create({ ...params, tools: [WEATHER_TOOL], stream: true }),
      );
      expect(events[0].type).toBe("message_start");
      expect(bare.at(-1).type).toBe("message_stop");
      expect(h.fake.requests[1].path).toBe(platform.path(MODEL, true));
      const [trace] = await h.traces(1);
      const span = trace.spans.find((s) => s.kind === "LLM")!;
      expect(span).toMatchObject({ status: "OK", token_usage: EXPECTED_USAGE });
      expect(span.metadata).toMatchObject({ provider: platform.provider, streamed: true, finish_reason: "tool_use" });
      expect((span.output as any).messages[0].tool_calls[0].function.arguments).toBe('{"city":"Paris"}');
      expect(span.completion_start_time).not.toBeNull();
      expect(trace.spans.find((s) => s.kind === "TOOL")).toMatchObject({
        name: "get_weather",
        input: { city: "Paris" },
      });
    });

    it("messages.stream(): finalMessage() as without the wrapper, one span; break mid-stream closes it", async () => {
      const client = wrapped();
      const final = await client.messages.stream(params).finalMessage();
      expect(final.content[0].text).toBe("It is sunny.");
      const stream = await client.messages.create({ ...params, stream: true });
      let n = 0;
      for await (const _ of stream) if (++n === 3) break;
      const traces = await h.traces(2);
      const [helper, broken] = traces.map((t) => onlySpan(t));
      expect(helper.metadata).toMatchObject({ streamed: true, provider: platform.provider });
      expect(helper.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
      expect(broken.metadata).toMatchObject({ stream_completed: false });
    });

    it("errors and retries: one span per logical call, the caller gets the SDK's error", async () => {
      const client = wrapped({ maxRetries: 1 });
      const ok = await client.messages.create(params, {
        headers: { "x-fake-fail": "529x1", "x-fake-id": `${platform.label}-1` },
      });
      expect(ok.content[0].text).toBe("It is sunny.");
      const error = await client.messages
        .create(params, { headers: { "x-fake-fail": "500x2", "x-fake-id": `${platform.label}-2` } })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 500 });
      expect(h.fake.requests).toHaveLength(4);
      const spans = (await h.traces(2)).map((t) => onlySpan(t));
      expect(spans.map((s) => s.status).sort()).toEqual(["ERROR", "OK"]);
      expect(spans.find((s) => s.status === "ERROR")!.metadata).toMatchObject({
        error_status: 500,
        provider: platform.provider,
      });
    });

    it("withOptions() clones stay traced; wrapping twice records once", async () => {
      const client = wrapped();
      expect(wrapAnthropic(client, { client: h.pp })).toBe(client);
      const clone = client.withOptions({ timeout: 5000 });
      expect(clone).not.toBe(client);
      await clone.messages.create(params);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.metadata.provider).toBe(platform.provider);
      expect(h.fake.requests).toHaveLength(1);
    });

    it(`messages.countTokens: ${platform.countTokens ? "an OTHER span inside a trace" : "not served"}`, async () => {
      const client = wrapped();
      if (!platform.countTokens) {
        // The platform client removes what it does not serve: nothing to patch there.
        expect(client.messages.batches).toBeUndefined();
        return;
      }
      await startTrace("agent", { client: h.pp }, () => client.messages.countTokens(params));
      const [trace] = await h.traces(1);
      expect(trace.spans.map((s) => [s.name, s.kind])).toEqual([["anthropic-count-tokens", "OTHER"]]);
      expect(trace.spans[0].output).toEqual({ input_tokens: 42 });
    });
  });
}
