/** Streams close their span on every ending: to the end, break, abort, dropped connection, error chunk, never read, collected. */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { itClosesAbandonedCalls } from "@pandaprobe/testing/vitest";
import { describe, expect, it } from "vitest";
import { wrapGoogleGenAI } from "../../src/index.js";
import {
  callableWeatherTool,
  drain,
  EXPECTED_USAGE,
  type GenAIUnderTest,
  MODEL,
  MODES,
  onlySpan,
  PARAMS,
  useHarness,
  WEATHER_TOOL,
} from "../support/harness.js";

/** `gc()` even without `--expose-gc` (the flag takes effect for contexts created afterwards). */
const gc: () => void =
  typeof globalThis.gc === "function"
    ? globalThis.gc
    : (setFlagsFromString("--expose-gc"), runInNewContext("gc") as () => void);

export function streamsSuite(sdk: GenAIUnderTest): void {
  for (const mode of MODES) {
    describe(`${sdk.label} (${mode}): generateContentStream`, () => {
      const h = useHarness(sdk);

      it("read to the end: the aggregated answer, usage, model version and the first chunk's time", async () => {
        const client = h.wrapped(mode);
        const stream = await client.models.generateContentStream(PARAMS);
        const chunks = await drain(stream);
        expect(chunks.map((c: any) => c.text).join("")).toBe("It is sunny.");
        const [trace] = await h.traces(1);
        expect(trace.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
        const span = onlySpan(trace);
        expect(span).toMatchObject({
          name: "gemini-generate",
          kind: "LLM",
          status: "OK",
          model: `${MODEL}-001`,
          token_usage: EXPECTED_USAGE,
          metadata: { streamed: true, finish_reason: "STOP", response_id: "resp-1" },
          input: {
            messages: [
              { role: "system", content: "You are terse." },
              { role: "user", content: "Weather in Paris?" },
            ],
          },
        });
        expect(span.metadata.stream_completed).toBeUndefined();
        expect(span.completion_start_time).toBeTruthy();
        expect(Date.parse(span.completion_start_time!)).toBeGreaterThanOrEqual(Date.parse(span.started_at));
        expect(Date.parse(span.completion_start_time!)).toBeLessThanOrEqual(Date.parse(span.ended_at!));
        const req = h.fake.requests[0];
        expect(req.action).toBe("streamGenerateContent");
        expect(req.path).toContain("alt=sse");
      });

      it("streamed thoughts and function calls: reasoning summary and tool calls", async () => {
        const client = h.wrapped(mode);
        await drain(
          await client.models.generateContentStream({
            ...PARAMS,
            model: "gemini-think",
            config: { thinkingConfig: { includeThoughts: true } },
          }),
        );
        await drain(await client.models.generateContentStream({ ...PARAMS, config: { tools: [WEATHER_TOOL] } }));
        const [think, tool] = await h.traces(2);
        expect(onlySpan(think).metadata.reasoning_summary).toBe("The user wants weather.");
        expect(onlySpan(think).output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
        expect(onlySpan(tool).output).toEqual({
          messages: [
            {
              role: "assistant",
              content: null,
              tool_calls: [
                { id: "call-1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
              ],
            },
          ],
        });
      });

      it("automatic function calling in a stream: the rounds as tool calls and tool messages, each request's usage once", async () => {
        const chunks = await drain(
          await h.wrapped(mode).models.generateContentStream({
            model: MODEL,
            contents: "Weather in Paris?",
            config: { tools: [callableWeatherTool()] },
          }),
        );
        expect(chunks.length).toBeGreaterThan(2);
        expect(h.fake.requests).toHaveLength(2);
        const span = onlySpan((await h.traces(1))[0]);
        expect(span.output).toEqual({
          messages: [
            {
              role: "assistant",
              content: null,
              tool_calls: [
                { id: "call-1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
              ],
            },
            { role: "tool", tool_call_id: "call-1", name: "get_weather", content: '{"temp":21}' },
            { role: "assistant", content: "It is sunny." },
          ],
        });
        // Two requests, each reporting USAGE on its last chunk.
        expect(span.token_usage).toEqual({
          prompt_tokens: 24,
          completion_tokens: 16,
          total_tokens: 40,
          reasoning_tokens: 6,
          cache_read_tokens: 8,
        });
      });

      it("break: the span closes with the partial answer, stream_completed false", async () => {
        const stream = await h.wrapped(mode).models.generateContentStream(PARAMS);
        let n = 0;
        for await (const _ of stream) if (++n === 2) break;
        const span = onlySpan((await h.traces(1))[0]);
        expect(span.status).toBe("OK");
        expect(span.metadata.stream_completed).toBe(false);
        expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It is " }] });
      });

      it("config.abortSignal aborted mid-stream: the caller gets the SDK's abort error, the span says aborted", async () => {
        const controller = new AbortController();
        const stream = await h.wrapped(mode).models.generateContentStream({
          ...PARAMS,
          model: "gemini-hang",
          config: { abortSignal: controller.signal },
        });
        const closed = h.fake.waitForHangClosed();
        let n = 0;
        const error = await (async () => {
          for await (const _ of stream) if (++n === 2) controller.abort();
        })().catch((e) => e);
        await closed;
        expect(n).toBe(2);
        expect(error?.name).toBe("AbortError");
        const span = onlySpan((await h.traces(1))[0]);
        expect(span.status).toBe("ERROR");
        expect(span.metadata).toMatchObject({ stream_aborted: true, stream_completed: false, aborted: true });
        expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It is " }] });
      });

      it("a connection dropped mid-stream: the caller gets the SDK's error, the span records it", async () => {
        const bareError = await drain(
          await h.bare(mode).models.generateContentStream({ ...PARAMS, model: "gemini-drop" }),
        ).catch((e) => e);
        const error = await drain(
          await h.wrapped(mode).models.generateContentStream({ ...PARAMS, model: "gemini-drop" }),
        ).catch((e) => e);
        expect(error).toBeInstanceOf(Error);
        expect(error.constructor).toBe(bareError.constructor);
        expect(error.message).toBe(bareError.message);
        const [trace] = await h.traces(1);
        expect(onlySpan(trace)).toMatchObject({ status: "ERROR", error: expect.any(String) });
        expect(trace.status).toBe("ERROR");
      });

      it("an error inside the stream: ApiError reaches the caller, the span is ERROR with Google's status", async () => {
        const params = { ...PARAMS, model: "gemini-error-event" };
        const bareError = await drain(await h.bare(mode).models.generateContentStream(params)).then(
          () => undefined,
          (e) => e,
        );
        const error = await drain(await h.wrapped(mode).models.generateContentStream(params)).then(
          () => undefined,
          (e) => e,
        );
        const span = onlySpan((await h.traces(1))[0]);
        if (bareError === undefined) {
          // This release ignores an error object inside a stream: so does the wrapper.
          expect(error).toBeUndefined();
          expect(span.status).toBe("OK");
          return;
        }
        expect(error).toBeInstanceOf(sdk.genai.ApiError);
        expect(error.message).toBe(bareError.message);
        expect(span.status).toBe("ERROR");
        expect(span.error).toContain("fake stream error");
        expect(span.metadata).toMatchObject({ error_name: "ApiError", error_status: 500, error_type: "INTERNAL" });
      });

      it("never read: the stale-call sweep closes the span; the stream still works afterwards", async () => {
        const stream = await h.wrapped(mode, { staleCallTimeoutMs: 30 }).models.generateContentStream(PARAMS);
        const span = onlySpan((await h.traces(1))[0]);
        expect(span.metadata).toMatchObject({ abandoned: "timeout", usage_unavailable: true });
        expect(span.status).toBe("ERROR");
        expect((await drain(stream)).length).toBe(3);
      });

      it("garbage-collected without being read: the call closes (abandoned: gc)", async () => {
        const client = h.wrapped(mode, { staleCallTimeoutMs: 0 });
        await (async () => {
          await client.models.generateContentStream(PARAMS); // dropped on the floor
        })();
        const waiting = h.standIn.waitForTraces(1, { timeoutMs: 10_000 });
        let done = false;
        void waiting.then(() => (done = true));
        for (const deadline = Date.now() + 10_000; !done && Date.now() < deadline; ) {
          gc();
          await new Promise((r) => setImmediate(r));
          await h.pp.flush();
        }
        const span = onlySpan((await waiting)[0]);
        expect(span.metadata.abandoned).toBe("gc");
      });

      itClosesAbandonedCalls(`${sdk.label} (${mode}): a stream never read`, {
        rootName: "gemini-generate",
        abandon: ({ client, staleCallTimeoutMs }) =>
          wrapGoogleGenAI(h.bare(mode), { client, staleCallTimeoutMs }).models.generateContentStream(PARAMS),
      });
    });
  }
}
