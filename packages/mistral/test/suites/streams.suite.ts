/** Streams close their span however they end: read out, broken off, cancelled, aborted, dropped, never read, collected. */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { itClosesAbandonedCalls } from "@pandaprobe/testing/vitest";
import { describe, expect, it } from "vitest";
import { wrapMistral } from "../../src/index.js";
import { drain, type MistralUnderTest, onlySpan, streamedText, USER_MSGS, useHarness } from "../support/harness.js";

/** `gc()` even without `--expose-gc` (the flag takes effect for contexts created afterwards). */
const gc: () => void =
  typeof globalThis.gc === "function"
    ? globalThis.gc
    : (setFlagsFromString("--expose-gc"), runInNewContext("gc") as () => void);

/** Runs GC and flushes until the stand-in has a trace (what the kit's FinalizationRegistry safety net produces). */
async function collectUntilTraced(h: { standIn: any; pp: any }) {
  const waiting = h.standIn.waitForTraces(1, { timeoutMs: 10_000 });
  let done = false;
  void waiting.then(() => (done = true));
  // Watches are registered a short while after the call (the kit's stale-calls.ts): collect until the trace arrives.
  for (const deadline = Date.now() + 10_000; !done && Date.now() < deadline; ) {
    gc();
    await new Promise((r) => setImmediate(r));
    await h.pp.flush();
  }
  return waiting;
}

/** The error a loop over `stream` ends with (undefined if it ends normally), and the events it read. */
async function readUntilError(stream: AsyncIterable<unknown>, onEvent?: (n: number) => void) {
  const events: unknown[] = [];
  try {
    for await (const e of stream) {
      events.push(e);
      onEvent?.(events.length);
    }
  } catch (error) {
    return { error, events };
  }
  return { error: undefined, events };
}

export function streamsSuite(sdk: MistralUnderTest): void {
  describe(`${sdk.label}: stream endings`, () => {
    const h = useHarness(sdk);
    const params = { model: "mistral-small-latest", messages: USER_MSGS };

    it("break: the span closes at once with the partial output, stream_completed false", async () => {
      const client = h.wrapped();
      const stream = await client.chat.stream(params);
      let n = 0;
      for await (const _ of stream) if (++n === 2) break;
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.status).toBe("OK");
      expect(span.metadata).toMatchObject({ streamed: true, stream_completed: false });
      expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It " }] });
      expect(span.metadata.usage_unavailable).toBe(true);
    });

    it("the caller's abort signal mid-stream: the caller's loop gets the bare client's error; the span says aborted, not failed", async () => {
      const run = async (client: any) => {
        const controller = new AbortController();
        // 1.x before 1.10 takes the signal in `fetchOptions` only; later releases also as `signal`.
        const options = sdk.readableStream
          ? { signal: controller.signal }
          : { fetchOptions: { signal: controller.signal } };
        const stream = await client.chat.stream({ ...params, model: "mistral-hang" }, options);
        const closed = h.fake.waitForHangClosed();
        const outcome = await readUntilError(stream, (n) => n === 2 && controller.abort());
        await closed;
        return outcome;
      };
      const bare = await run(h.bare());
      const wrapped = await run(h.wrapped());
      expect(wrapped.events).toHaveLength(3); // the two read, and the one the SDK had already received
      expect(wrapped.events).toEqual(bare.events);
      expect(wrapped.error).toBeDefined();
      expect((wrapped.error as Error).constructor).toBe((bare.error as Error).constructor);
      expect((wrapped.error as Error).name).toBe((bare.error as Error).name);
      const [trace] = await h.traces(1);
      const span = onlySpan(trace);
      expect(span.status).toBe("OK");
      expect(span.metadata).toMatchObject({ stream_aborted: true, stream_completed: false });
      expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It is " }] });
      expect(trace.status).toBe("COMPLETED");
    });

    it("a connection dropped mid-stream: the caller gets the bare client's error, the span and trace are ERROR", async () => {
      const bare = await readUntilError(await h.bare().chat.stream({ ...params, model: "mistral-drop" }));
      const wrapped = await readUntilError(await h.wrapped().chat.stream({ ...params, model: "mistral-drop" }));
      expect(wrapped.error).toBeInstanceOf(Error);
      expect((wrapped.error as Error).constructor).toBe((bare.error as Error).constructor);
      expect((wrapped.error as Error).message).toBe((bare.error as Error).message);
      expect(wrapped.events).toEqual(bare.events);
      const [trace] = await h.traces(1);
      expect(onlySpan(trace)).toMatchObject({ status: "ERROR", error: expect.any(String) });
      expect(onlySpan(trace).metadata.stream_completed).toBe(false);
      expect(trace.status).toBe("ERROR");
    });

    it("the client's own timeout mid-stream (timeoutMs): the bare client's error reaches the loop, the span is ERROR", async () => {
      const run = async (client: any) =>
        readUntilError(await client.chat.stream({ ...params, model: "mistral-hang" }, { timeoutMs: 300 }));
      const [bare, wrapped] = await Promise.all([run(h.bare()), run(h.wrapped())]);
      expect(wrapped.events).toEqual(bare.events);
      expect((wrapped.error as Error).constructor).toBe((bare.error as Error).constructor);
      expect((wrapped.error as Error).name).toBe((bare.error as Error).name);
      const [trace] = await h.traces(1);
      expect(onlySpan(trace)).toMatchObject({ status: "ERROR", metadata: { stream_completed: false } });
      expect(onlySpan(trace).metadata.stream_aborted).toBeUndefined();
      expect(onlySpan(trace).output).toEqual({ messages: [{ role: "assistant", content: "It is " }] });
    });

    it.runIf(sdk.readableStream)(
      "getReader(): read by hand, released and read on by a second reader, the span sees every event once",
      async () => {
        const client = h.wrapped();
        const stream = await client.chat.stream(params);
        const first = stream.getReader();
        const events = [(await first.read()).value, (await first.read()).value];
        first.releaseLock();
        const second = stream.getReader();
        for (let r = await second.read(); !r.done; r = await second.read()) events.push(r.value);
        expect(streamedText(events)).toBe("It is sunny.");
        const span = onlySpan((await h.traces(1))[0]);
        expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
        expect(span.metadata.stream_completed).toBeUndefined();
      },
    );

    it.runIf(sdk.readableStream)(
      "tee(), pipeThrough() and pipeTo() work as on the bare stream, each recorded once",
      async () => {
        const client = h.wrapped();
        const bareEvents = await drain(await h.bare().chat.stream(params));
        const [a, b] = (await client.chat.stream(params)).tee();
        expect(await drain(a)).toEqual(bareEvents);
        expect(await drain(b)).toEqual(bareEvents);

        const texts = (await client.chat.stream(params)).pipeThrough(
          new TransformStream({ transform: (e: any, c) => c.enqueue(e.data.choices[0].delta.content ?? "") }),
        );
        expect((await drain(texts)).join("")).toBe("It is sunny.");

        const seen: unknown[] = [];
        const piped = await client.chat.stream(params);
        await piped.pipeTo(new WritableStream({ write: (e) => void seen.push(e) }));
        expect(seen).toEqual(bareEvents);
        expect(piped.locked).toBe(false); // released when the pipe is done, as the platform's pipeTo does

        // A locked stream gets the platform's own error, as the bare stream does.
        const locked = await client.chat.stream(params);
        const reader = locked.getReader();
        const bareLocked = await h.bare().chat.stream(params);
        bareLocked.getReader();
        const lockedError = (s: any) => {
          try {
            s.tee();
          } catch (error) {
            return (error as Error).constructor;
          }
        };
        expect(lockedError(locked)).toBe(lockedError(bareLocked));
        expect(lockedError(locked)).toBe(TypeError);
        await reader.cancel();
        await bareLocked.cancel().catch(() => undefined);

        const traces = (await h.traces(4)).filter((t) => onlySpan(t).metadata.stream_completed === undefined);
        expect(traces).toHaveLength(3);
        for (const t of traces) {
          expect(onlySpan(t).output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
          expect(onlySpan(t).metadata.stream_completed).toBeUndefined();
        }
      },
    );

    it.runIf(sdk.readableStream)(
      "cancel() before reading, and a reader's cancel(): the span closes, stream_completed false",
      async () => {
        const client = h.wrapped();
        await (await client.chat.stream(params)).cancel("not needed");
        const reader = (await client.chat.stream(params)).getReader();
        await reader.read();
        await reader.cancel();
        const traces = await h.traces(2);
        for (const t of traces)
          expect(onlySpan(t)).toMatchObject({ status: "OK", metadata: { stream_completed: false } });
      },
    );

    it("never read: the stale-call sweep closes the span (abandoned: timeout); the stream still works after", async () => {
      const client = h.wrapped({ staleCallTimeoutMs: 30 });
      const stream = await client.chat.stream(params);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.metadata).toMatchObject({ abandoned: "timeout", usage_unavailable: true, stream_completed: false });
      expect(span.status).toBe("ERROR");
      expect(streamedText(await drain(stream))).toBe("It is sunny.");
    });

    it("garbage-collected without being read: the kit's FinalizationRegistry closes the span", async () => {
      const client = h.wrapped({ staleCallTimeoutMs: 0 });
      await (async () => {
        await client.chat.stream(params); // dropped on the floor
      })();
      const span = onlySpan((await collectUntilTraced(h))[0]);
      expect(span.metadata.abandoned).toBe("gc");
    });

    it("a stream read to the end is not kept alive by the instrumentation", async () => {
      const client = h.wrapped({ staleCallTimeoutMs: 0 });
      let ref!: WeakRef<object>;
      await (async () => {
        const stream = await client.chat.stream(params);
        await drain(stream);
        ref = new WeakRef(stream);
      })();
      // Well within the 250 ms before watches are registered: nothing of ours may hold the stream now.
      for (let i = 0; i < 5 && ref.deref(); i++) {
        await new Promise((r) => setImmediate(r));
        gc();
      }
      expect(ref.deref()).toBeUndefined();
      expect(onlySpan((await h.traces(1))[0]).metadata.stream_completed).toBeUndefined();
    });

    itClosesAbandonedCalls(`${sdk.label}: a stream never read`, {
      rootName: "mistral-chat",
      abandon: ({ client, staleCallTimeoutMs }) =>
        wrapMistral(h.bare(), { client, staleCallTimeoutMs }).chat.stream(params),
    });
  });
}
