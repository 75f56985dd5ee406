/** What the caller sees is the SDK's own: APIPromise helpers, Stream methods, errors, params, request options. */
import { inspect } from "node:util";
import { redactStrings, score } from "@pandaprobe/core";
import { createTestClient } from "@pandaprobe/testing";
import { describe, expect, it } from "vitest";
import { withPandaProbe, wrapAnthropic } from "../../src/index.js";
import { drain, MESSAGES, MODEL, onlySpan, type SdkUnderTest, SYSTEM, useHarness } from "../support/harness.js";

export function transparencySuite(sdk: SdkUnderTest): void {
  describe(`${sdk.label}: transparency`, () => {
    const h = useHarness(sdk);
    const params = { model: MODEL, max_tokens: 256, messages: MESSAGES };

    it("keeps withResponse(), asResponse() and _request_id", async () => {
      const client = h.wrapped();
      const { data, response, request_id } = await client.messages.create(params).withResponse();
      expect(request_id).toBe("req_fake_123");
      expect(response.status).toBe(200);
      expect(data.content[0].text).toBe("It is sunny.");
      expect(data._request_id).toBe("req_fake_123");

      const raw = await client.messages.create(params).asResponse();
      expect(raw.bodyUsed).toBe(false);
      expect((await raw.json()).content[0].text).toBe("It is sunny.");

      const streamed = await client.messages.create({ ...params, stream: true }).withResponse();
      expect(streamed.request_id).toBe("req_fake_sse");
      await drain(streamed.data);

      const spans = (await h.traces(3)).map((t) => onlySpan(t));
      const rawSpan = spans.find((s) => s.metadata.raw_response)!;
      expect(rawSpan).toMatchObject({ status: "OK", output: null });
      expect(rawSpan.metadata).toMatchObject({ usage_unavailable: true, request_id: "req_fake_123" });
      expect(spans.filter((s) => (s.output as any)?.messages?.[0]?.content === "It is sunny.")).toHaveLength(2);
    });

    it("promises the SDK's helpers derive from a call (`_thenUnwrap`) report its result: one span", async () => {
      const client = h.wrapped();
      const text = await client.messages.create(params)._thenUnwrap((message: any) => message.content[0].text);
      expect(text).toBe("It is sunny.");
      const failed = await client.messages
        .create(params, { headers: { "x-fake-fail": "500x1", "x-fake-id": `unwrap-${sdk.label}` } })
        ._thenUnwrap((message: any) => message)
        .catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(sdk.Anthropic.InternalServerError);
      const spans = (await h.traces(2)).map((t) => onlySpan(t));
      expect(spans.find((s) => s.status === "OK")!.output).toEqual({
        messages: [{ role: "assistant", content: "It is sunny." }],
      });
      expect(spans.find((s) => s.status === "ERROR")!.metadata).toMatchObject({ error_status: 500 });
    });

    it("returns the SDK's own APIPromise: same class, same own properties, same inspect output", async () => {
      const wrapped = h.wrapped().messages.create(params);
      const bare = h.bare().messages.create(params);
      expect(wrapped).toBeInstanceOf(bare.constructor);
      expect(wrapped.constructor).toBe(bare.constructor);
      expect(Reflect.ownKeys(wrapped)).toEqual(Reflect.ownKeys(bare));
      expect(inspect(wrapped).replace(/\d+/g, "")).toBe(inspect(bare).replace(/\d+/g, ""));
      await Promise.all([wrapped, bare]);
      expect((await h.traces(1))[0].name).toBe("anthropic-messages");
    });

    it("returns the very Stream object: tee() and toReadableStream() work, the span sees every event once", async () => {
      const client = h.wrapped();
      const bareStream = await h.bare().messages.create({ ...params, stream: true });
      const stream = await client.messages.create({ ...params, stream: true });
      expect(stream.constructor).toBe(bareStream.constructor);
      expect(Object.keys(stream)).toEqual(Object.keys(bareStream));
      const bareEvents = await drain(bareStream);
      const [a, b] = stream.tee();
      expect(a.controller).toBe(b.controller);
      const [ea, eb] = [await drain(a), await drain(b)];
      expect(ea).toEqual(bareEvents);
      expect(eb).toEqual(ea);

      const s2 = await client.messages.create({ ...params, stream: true });
      const text = await new Response(s2.toReadableStream()).text();
      expect(text.trim().split("\n")).toHaveLength(bareEvents.length);
      const traces = await h.traces(2);
      for (const t of traces) {
        expect(onlySpan(t).output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
        expect(onlySpan(t).token_usage).toMatchObject({ completion_tokens: 7 });
      }
    });

    it("keeps one-shot iteration: a second iteration fails as with the bare client", async () => {
      const client = h.wrapped();
      const stream = await client.messages.create({ ...params, stream: true });
      await drain(stream);
      await expect(drain(stream)).rejects.toThrow(/Cannot iterate over a consumed stream/);
      expect(onlySpan((await h.traces(1))[0]).status).toBe("OK");
    });

    it("per-call options go to the trace, never to Anthropic; the caller's objects are not modified", async () => {
      const client = h.wrapped({ userId: "wrap-user", tags: ["wrap"], metadata: { app: "a" } });
      const p = { ...params, system: SYSTEM };
      const requestOptions = { headers: { "x-custom": "1" } };
      const snapshot = structuredClone({ p, requestOptions });
      await client.messages.create(
        p,
        withPandaProbe({ userId: "call-user", sessionId: "s1", tags: ["call"], metadata: { step: 2 } }, requestOptions),
      );
      expect({ p, requestOptions }).toEqual(snapshot);
      await h.bare().messages.create(p, requestOptions);
      const [wrappedReq, bareReq] = h.fake.requests;
      expect(wrappedReq.body).toEqual(bareReq.body);
      expect(wrappedReq.headers["x-custom"]).toBe("1");
      const strip = (headers: Record<string, unknown>) => {
        const { "x-stainless-retry-count": _r, "x-stainless-timeout": _t, ...rest } = headers;
        return Object.keys(rest).sort();
      };
      expect(strip(wrappedReq.headers)).toEqual(strip(bareReq.headers));
      const [trace] = await h.traces(1);
      expect(trace).toMatchObject({ user_id: "call-user", session_id: "s1" });
      expect([...trace.tags].sort()).toEqual(["call", "wrap"]);
      expect(onlySpan(trace).metadata).toMatchObject({ app: "a", step: 2 });
    });

    it("recordInputs/recordOutputs: false (wrapper or call) keep content out; usage and model stay", async () => {
      const client = h.wrapped({ recordInputs: false });
      await drain(
        await client.messages.create(
          { ...params, system: SYSTEM, stream: true },
          withPandaProbe({ recordOutputs: false }),
        ),
      );
      await client.messages.create({ ...params, system: SYSTEM });
      const traces = await h.traces(2);
      const body = JSON.stringify(traces);
      expect(body).not.toContain("Weather in Paris");
      expect(body).not.toContain("terse");
      const [streamed, created] = traces.map((t) => onlySpan(t));
      expect(JSON.stringify(streamed)).not.toContain("sunny");
      expect(streamed.model).toBeTruthy();
      expect(streamed.token_usage).toBeTruthy();
      expect(created.output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
    });

    it("the client's mask redacts what the span records, never what Anthropic receives", async () => {
      const masked = createTestClient(h.standIn, { mask: redactStrings() });
      try {
        const client = wrapAnthropic(h.bare(), { client: masked });
        const p = { ...params, messages: [{ role: "user", content: "I am ada@example.com, weather?" }] };
        await client.messages.create(p);
        expect(h.fake.requests[0].body.messages[0].content).toBe("I am ada@example.com, weather?");
        await masked.flush();
        const [trace] = await h.standIn.waitForTraces(1);
        expect(onlySpan(trace).input).toEqual({ messages: [{ role: "user", content: "I am [redacted], weather?" }] });
        expect(JSON.stringify(h.standIn.requests.map((r) => r.rawBody))).not.toContain("ada@example.com");
      } finally {
        await masked.shutdown();
      }
    });

    it("withPandaProbe({ traceId }) names the standalone trace, so a score can be attached right after the call", async () => {
      const client = h.wrapped();
      const traceId = crypto.randomUUID();
      const streamId = crypto.randomUUID();
      await client.messages.create(params, withPandaProbe({ traceId }));
      await drain(await client.messages.create({ ...params, stream: true }, withPandaProbe({ traceId: streamId })));
      expect(score({ traceId, name: "helpful", value: 1, client: h.pp })).toBe(true);
      expect(score({ traceId: streamId, name: "helpful", value: 0, client: h.pp })).toBe(true);
      const traces = await h.traces(2);
      expect(traces.map((t) => t.trace_id).sort()).toEqual([traceId, streamId].sort());
      await h.pp.flush();
      const scores = await h.standIn.waitForRequests(
        (r) => r.path === "/evaluations/trace-scores" && r.status === 201,
        { count: 2 },
      );
      expect(scores.map((r) => (r.body as { trace_id: string }).trace_id).sort()).toEqual([traceId, streamId].sort());
    });
  });
}
