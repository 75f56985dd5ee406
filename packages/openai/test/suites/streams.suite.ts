/** Streams close their span on every ending: normal, break, abort, error, never iterated, garbage-collected. */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { itClosesAbandonedCalls } from "@pandaprobe/testing/vitest";
import { describe, expect, it } from "vitest";
import { wrapOpenAI } from "../../src/index.js";
import { drain, onlySpan, USER_MSGS, useHarness, type OpenAIUnderTest } from "../support/harness.js";

/** `gc()` even without `--expose-gc` (the flag takes effect for contexts created afterwards). */
const gc: () => void =
  typeof globalThis.gc === "function"
    ? globalThis.gc
    : (setFlagsFromString("--expose-gc"), runInNewContext("gc") as () => void);

/** Runs GC and flushes until the stand-in has a trace (what a FinalizationRegistry safety net produces). */
async function collectUntilTraced(h: {
  standIn: { waitForTraces: (n: number, o: { timeoutMs: number }) => Promise<any[]> };
  pp: { flush: () => Promise<unknown> };
}) {
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

export function streamsSuite(sdk: OpenAIUnderTest): void {
  describe(`${sdk.label}: stream endings`, () => {
    const h = useHarness(sdk);
    const params = { model: "gpt-4o-mini", messages: USER_MSGS, stream: true };

    it("break: the request is aborted as usual and the span closes with the partial output", async () => {
      const client = h.wrapped();
      const stream = await client.chat.completions.create(params);
      let n = 0;
      for await (const _ of stream) if (++n === 2) break;
      expect(stream.controller.signal.aborted).toBe(true);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.status).toBe("OK");
      expect(span.metadata.stream_completed).toBe(false);
      expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It " }] });
    });

    it("controller.abort() mid-stream ends the loop quietly; the span says aborted", async () => {
      const client = h.wrapped();
      const stream = await client.chat.completions.create({ ...params, model: "gpt-hang" });
      const closed = h.fake.waitForHangClosed();
      let n = 0;
      for await (const _ of stream) if (++n === 2) stream.controller.abort();
      await closed;
      expect(n).toBe(2);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.metadata).toMatchObject({ stream_aborted: true, stream_completed: false });
    });

    it("a connection dropped mid-stream: the caller gets the SDK's error, the span records it", async () => {
      const bareError = await drain(await h.bare().chat.completions.create({ ...params, model: "gpt-drop" })).catch(
        (e) => e,
      );
      const client = h.wrapped();
      const error = await drain(await client.chat.completions.create({ ...params, model: "gpt-drop" })).catch((e) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error.constructor).toBe(bareError.constructor);
      expect(error.message).toBe(bareError.message);
      const [trace] = await h.traces(1);
      expect(onlySpan(trace)).toMatchObject({ status: "ERROR", error: expect.any(String) });
      expect(trace.status).toBe("ERROR");
    });

    it("an SSE error event: APIError reaches the caller, span ERROR", async () => {
      const client = h.wrapped();
      const error = await drain(await client.chat.completions.create({ ...params, model: "gpt-error-event" })).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(sdk.OpenAI.APIError);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.status).toBe("ERROR");
      expect(span.error).toContain("fake stream error");
    });

    it("never iterated: the stale-call sweep closes the span (abandoned: timeout); the deprecated option name still works", async () => {
      const client = h.wrapped({ abandonedStreamTimeoutMs: 30 });
      const stream = await client.chat.completions.create(params);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.metadata).toMatchObject({ abandoned: "timeout", usage_unavailable: true });
      expect(span.status).toBe("ERROR");
      // Still usable afterwards, unchanged.
      expect((await drain(stream)).length).toBe(5);
    });

    it("garbage-collected without iteration: the FinalizationRegistry closes the span", async () => {
      const client = h.wrapped({ staleCallTimeoutMs: 0 });
      await (async () => {
        await client.chat.completions.create(params); // dropped on the floor
      })();
      const span = onlySpan((await collectUntilTraced(h))[0]);
      expect(span.metadata.abandoned).toBe("gc");
    });

    it("a stream read to the end is not kept alive while the nets' short wait runs", async () => {
      const client = h.wrapped({ staleCallTimeoutMs: 0 });
      let ref!: WeakRef<object>;
      await (async () => {
        const stream = await client.chat.completions.create(params);
        await drain(stream);
        ref = new WeakRef(stream);
      })();
      // Well within the 250 ms before watches are registered (the kit's stale-calls.ts): nothing of ours may hold the stream now.
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
        void client.chat.completions.create({ ...params, stream: false }); // fire and forget
      })();
      const span = onlySpan((await collectUntilTraced(h))[0]);
      expect(span.metadata).toMatchObject({ result_unconsumed: true, usage_unavailable: true });
    });

    itClosesAbandonedCalls(`${sdk.label}: a stream never read`, {
      rootName: "openai-chat",
      abandon: ({ client, staleCallTimeoutMs }) =>
        wrapOpenAI(h.bare(), { client, staleCallTimeoutMs }).chat.completions.create(params),
    });
  });
}
