/** Streams close their span on every ending: normal, break, abort, a dropped connection, an exception frame, never read, collected. */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { itClosesAbandonedCalls } from "@pandaprobe/testing/vitest";
import { describe, expect, it } from "vitest";
import { wrapBedrock } from "../../src/index.js";
import { type BedrockUnderTest, CLAUDE, drain, json, MESSAGES, onlySpan, useHarness } from "../support/harness.js";

/** `gc()` even without `--expose-gc` (the flag takes effect for contexts created afterwards). */
const gc: () => void =
  typeof globalThis.gc === "function"
    ? globalThis.gc
    : (setFlagsFromString("--expose-gc"), runInNewContext("gc") as () => void);

export function streamsSuite(t: BedrockUnderTest): void {
  describe(`${t.label}: stream endings`, () => {
    const h = useHarness(t);
    const converse = (modelId = CLAUDE) => new t.sdk.ConverseStreamCommand({ modelId, messages: MESSAGES });
    const invoke = (modelId = CLAUDE) =>
      new t.sdk.InvokeModelWithResponseStreamCommand({
        modelId,
        body: json({ messages: [{ role: "user", content: "hi" }] }),
      });

    it("break: the span closes with the partial output, stream_completed false", async () => {
      const client = h.wrapped();
      const res = await client.send(converse());
      let n = 0;
      for await (const _ of res.stream) if (++n === 2) break;
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.status).toBe("OK");
      expect(span.metadata).toMatchObject({ streamed: true, stream_completed: false });
      expect(span.output).toEqual({ messages: [{ role: "assistant", content: "It " }] });
      expect(span.metadata.usage_unavailable).toBe(true);
    });

    it("abortSignal mid-stream: the SDK ends the caller's loop quietly; the span says aborted, with the partial output", async () => {
      for (const command of [converse(`${CLAUDE}-hang`), invoke(`${CLAUDE}-hang`)]) {
        const client = h.wrapped();
        const controller = new AbortController();
        const res = await client.send(command, { abortSignal: controller.signal });
        const closed = h.fake.waitForHangClosed();
        let n = 0;
        for await (const _ of res.stream ?? res.body) if (++n === 2) controller.abort();
        await closed;
        expect(n).toBe(2);
      }
      for (const span of (await h.traces(2)).map(onlySpan)) {
        expect(span.status).toBe("OK");
        expect(span.metadata).toMatchObject({ stream_aborted: true, stream_completed: false });
        // Two events in: Converse's first text delta; Claude's message_start and content_block_start.
        const partial = span.name === "bedrock-converse" ? "It " : "";
        expect(span.output).toEqual({ messages: [{ role: "assistant", content: partial }] });
      }
    });

    it("a connection dropped mid-stream: the caller gets the SDK's error, the span and trace are ERROR", async () => {
      const bareError = await drain((await h.bare().send(converse(`${CLAUDE}-drop`))).stream).catch((e) => e);
      const client = h.wrapped();
      const error = await drain((await client.send(converse(`${CLAUDE}-drop`))).stream).catch((e) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error.constructor).toBe(bareError.constructor);
      expect(error.message).toBe(bareError.message);
      const [trace] = await h.traces(1);
      expect(trace.status).toBe("ERROR");
      expect(onlySpan(trace)).toMatchObject({ status: "ERROR", error: expect.stringContaining("NGHTTP2") });
    });

    it("an exception frame (modelStreamErrorException): the SDK's exception reaches the caller; the span records it", async () => {
      for (const command of [converse(`${CLAUDE}-stream-error`), invoke(`${CLAUDE}-stream-error`)]) {
        const client = h.wrapped();
        const res = await client.send(command);
        const error = await drain(res.stream ?? res.body).catch((e) => e);
        expect(error).toBeInstanceOf(t.sdk.ModelStreamErrorException);
      }
      for (const span of (await h.traces(2)).map(onlySpan)) {
        expect(span.status).toBe("ERROR");
        expect(span.error).toContain("The model stream failed.");
        expect(span.metadata).toMatchObject({
          error_name: "ModelStreamErrorException",
          error_type: "client",
          error_code: 500,
          stream_completed: false,
        });
        const partial = span.name === "bedrock-converse" ? "It " : "";
        expect(span.output).toEqual({ messages: [{ role: "assistant", content: partial }] });
      }
    });

    it("never read: the stale-call sweep closes the span (abandoned: timeout); the stream still works afterwards", async () => {
      const client = h.wrapped({ staleCallTimeoutMs: 30 });
      const res = await client.send(converse());
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.metadata).toMatchObject({ abandoned: "timeout", stream_completed: false });
      expect(span.status).toBe("ERROR");
      expect((await drain(res.stream)).length).toBe(7);
    });

    it("garbage-collected without being read: the FinalizationRegistry closes the span (abandoned: gc)", async () => {
      const client = h.wrapped({ staleCallTimeoutMs: 0 });
      await (async () => {
        await client.send(converse()); // dropped on the floor
      })();
      const waiting = h.standIn.waitForTraces(1, { timeoutMs: 10_000 });
      let done = false;
      void waiting.then(() => (done = true));
      for (const deadline = Date.now() + 10_000; !done && Date.now() < deadline; ) {
        gc();
        await new Promise((r) => setImmediate(r));
        await h.pp.flush();
      }
      expect(onlySpan((await waiting)[0]).metadata.abandoned).toBe("gc");
    });

    it("a second iteration is the SDK's own business: only the first is observed, recorded once", async () => {
      const client = h.wrapped();
      const res = await client.send(converse());
      const first = await drain(res.stream);
      const second = await drain(res.stream);
      const bare = await h.bare().send(converse());
      await drain(bare.stream);
      expect(second).toEqual(await drain(bare.stream));
      expect(first.length).toBe(7);
      const traces = await h.traces(1);
      expect(traces).toHaveLength(1);
      expect(onlySpan(traces[0]).metadata.stream_completed).toBeUndefined();
    });

    itClosesAbandonedCalls(`${t.label}: a ConverseStream never read`, {
      rootName: "bedrock-converse",
      abandon: ({ client, staleCallTimeoutMs }) =>
        wrapBedrock(h.bare(), { client, staleCallTimeoutMs }).send(converse()),
    });
    itClosesAbandonedCalls(`${t.label}: an InvokeModelWithResponseStream never read`, {
      rootName: "bedrock-invoke-model-stream",
      abandon: ({ client, staleCallTimeoutMs }) => wrapBedrock(h.bare(), { client, staleCallTimeoutMs }).send(invoke()),
    });
  });
}
