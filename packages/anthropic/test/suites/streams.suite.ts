/** `messages.create({ stream: true })`: the aggregate, and every way a stream ends (done, break, abort, error, never read, collected). */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { itClosesAbandonedCalls } from "@pandaprobe/testing/vitest";
import { describe, expect, it } from "vitest";
import { wrapAnthropic } from "../../src/index.js";
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

/** `gc()` even without `--expose-gc` (the flag takes effect for contexts created afterwards). */
const gc: () => void =
  typeof globalThis.gc === "function"
    ? globalThis.gc
    : (setFlagsFromString("--expose-gc"), runInNewContext("gc") as () => void);

/** Runs GC and flushes until the stand-in has a trace (what the kit's FinalizationRegistry net produces). */
async function collectUntilTraced(h: ReturnType<typeof useHarness>) {
  const waiting = h.standIn.waitForTraces(1, { timeoutMs: 10_000 });
  let done = false;
  void waiting.then(() => (done = true));
  // Watches are registered a short while after the call (the kit's stale-calls.ts): keep collecting until the trace arrives.
  for (const deadline = Date.now() + 10_000; !done && Date.now() < deadline; ) {
    gc();
    await new Promise((r) => setImmediate(r));
    await h.pp.flush();
  }
  return waiting;
}

const EVENT_TYPES = [
  "message_start",
  "content_block_start",
  "content_block_delta",
  "content_block_delta",
  "content_block_delta",
  "content_block_stop",
  "message_delta",
  "message_stop",
];

export function streamsSuite(sdk: SdkUnderTest): void {
  describe(`${sdk.label}: streams`, () => {
    const h = useHarness(sdk);
    const params = { model: MODEL, max_tokens: 256, messages: MESSAGES, stream: true };

    it("the caller gets every event; the span has the assembled text, usage, stop reason, first-token time", async () => {
      const client = h.wrapped();
      const events = await drain(await client.messages.create(params));
      const bare = await drain(await h.bare().messages.create(params));
      expect(events).toEqual(bare);
      expect(events.map((e: any) => e.type)).toEqual(EVENT_TYPES); // `ping` is the SDK's to drop
      const [trace] = await h.traces(1);
      const span = onlySpan(trace);
      expect(span).toMatchObject({ status: "OK", model: `${MODEL}-20250101`, token_usage: EXPECTED_USAGE });
      expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
      expect(trace.output).toEqual(span.output);
      expect(span.metadata).toMatchObject({
        streamed: true,
        finish_reason: "end_turn",
        response_id: "msg_fake1",
        request_id: "req_fake_sse",
      });
      expect(span.metadata.stream_completed).toBeUndefined();
      expect(span.model_parameters).toMatchObject({ stream: true, max_tokens: 256 });
      const start = Date.parse(span.started_at);
      const first = Date.parse(span.completion_start_time!);
      expect(first).toBeGreaterThanOrEqual(start);
      expect(first).toBeLessThanOrEqual(Date.parse(span.ended_at!));
    });

    it("assembles streamed tool input (input_json_delta) into the tool call and a TOOL span within the call", async () => {
      const client = h.wrapped();
      await drain(await client.messages.create({ ...params, tools: [WEATHER_TOOL] }));
      const [trace] = await h.traces(1);
      const llm = trace.spans.find((s) => s.kind === "LLM")!;
      expect(llm.output).toEqual({
        messages: [
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "toolu_01", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            ],
          },
        ],
      });
      expect(llm.metadata.finish_reason).toBe("tool_use");
      expect(llm.completion_start_time).not.toBeNull(); // a tool's JSON is content too
      const tool = trace.spans.find((s) => s.kind === "TOOL")!;
      expect(tool).toMatchObject({ name: "get_weather", parent_span_id: llm.span_id, input: { city: "Paris" } });
      expect(Date.parse(tool.started_at)).toBeGreaterThanOrEqual(Date.parse(llm.started_at));
      expect(Date.parse(tool.ended_at!)).toBeLessThanOrEqual(Date.parse(llm.ended_at!));
    });

    it("break: the request is aborted as usual and the span closes with the partial output", async () => {
      const client = h.wrapped();
      const stream = await client.messages.create(params);
      let n = 0;
      for await (const _ of stream) if (++n === 4) break; // start, block start, two text deltas
      expect(stream.controller.signal.aborted).toBe(true);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.status).toBe("OK");
      expect(span.metadata).toMatchObject({ stream_completed: false, streamed: true });
      expect(span.metadata.stream_aborted).toBeUndefined();
      expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It is su" }] });
      // The input counts arrive with message_start: a broken-off stream still says what it cost so far.
      expect(span.token_usage).toMatchObject({ prompt_tokens: 19, completion_tokens: 1 });
    });

    it("controller.abort() mid-stream ends the loop quietly; the span says aborted", async () => {
      const client = h.wrapped();
      const stream = await client.messages.create({ ...params, model: "claude-hang" });
      const closed = h.fake.waitForHangClosed();
      let n = 0;
      for await (const _ of stream) if (++n === 3) stream.controller.abort();
      await closed;
      expect(n).toBe(3);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.status).toBe("OK");
      expect(span.metadata).toMatchObject({ stream_aborted: true, stream_completed: false });
      expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It i" }] });
    });

    it("a connection dropped mid-stream: the caller gets the SDK's error, the span records it", async () => {
      const drop = { ...params, model: "claude-drop" };
      const bareError = await drain(await h.bare().messages.create(drop)).catch((e) => e);
      const client = h.wrapped();
      const error = await drain(await client.messages.create(drop)).catch((e) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error.constructor).toBe(bareError.constructor);
      expect(error.message).toBe(bareError.message);
      const [trace] = await h.traces(1);
      expect(onlySpan(trace)).toMatchObject({ status: "ERROR", error: expect.any(String) });
      expect(onlySpan(trace).metadata.stream_completed).toBe(false);
      expect(trace.status).toBe("ERROR");
    });

    it("an SSE error event (overloaded_error): APIError reaches the caller, the span is ERROR with its type", async () => {
      const client = h.wrapped();
      const error = await drain(await client.messages.create({ ...params, model: "claude-error-event" })).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(sdk.Anthropic.APIError);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.status).toBe("ERROR");
      expect(span.error).toContain("Overloaded");
      expect(span.metadata).toMatchObject({ error_type: "overloaded_error", stream_completed: false });
    });

    it("never iterated: the stale-call sweep closes the span (abandoned: timeout); the stream still works after", async () => {
      const client = h.wrapped({ staleCallTimeoutMs: 30 });
      const stream = await client.messages.create(params);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.metadata).toMatchObject({ abandoned: "timeout", usage_unavailable: true });
      expect(span.status).toBe("ERROR");
      expect((await drain(stream)).length).toBe(EVENT_TYPES.length);
    });

    it("garbage-collected without iteration: the kit's FinalizationRegistry closes the span", async () => {
      const client = h.wrapped({ staleCallTimeoutMs: 0 });
      await (async () => {
        await client.messages.create(params); // dropped on the floor
      })();
      const span = onlySpan((await collectUntilTraced(h))[0]);
      expect(span.metadata.abandoned).toBe("gc");
    });

    it("a stream read to the end is not kept alive by the wrapper", async () => {
      const client = h.wrapped({ staleCallTimeoutMs: 0 });
      let ref!: WeakRef<object>;
      await (async () => {
        const stream = await client.messages.create(params);
        await drain(stream);
        ref = new WeakRef(stream);
      })();
      for (let i = 0; i < 5 && ref.deref(); i++) {
        await new Promise((r) => setImmediate(r));
        gc();
      }
      expect(ref.deref()).toBeUndefined();
      expect(onlySpan((await h.traces(1))[0]).metadata.stream_completed).toBeUndefined();
    });

    it("a non-streaming result never awaited: closed when its promise is collected", async () => {
      const client = h.wrapped();
      (() => {
        void client.messages.create({ ...params, stream: false }); // fire and forget
      })();
      const span = onlySpan((await collectUntilTraced(h))[0]);
      expect(span.metadata).toMatchObject({ result_unconsumed: true, usage_unavailable: true });
    });

    itClosesAbandonedCalls(`${sdk.label}: a stream never read`, {
      rootName: "anthropic-messages",
      abandon: ({ client, staleCallTimeoutMs }) =>
        wrapAnthropic(h.bare(), { client, staleCallTimeoutMs }).messages.create(params),
    });
  });
}
