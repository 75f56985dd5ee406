/** What the caller sees is the SDK's own: APIPromise helpers, Stream methods, errors, params. */
import { inspect } from "node:util";
import { redactStrings, score } from "@pandaprobe/core";
import { createTestClient } from "@pandaprobe/testing";
import { describe, expect, it } from "vitest";
import { withPandaProbe, wrapOpenAI } from "../../src/index.js";
import { drain, onlySpan, USER_MSGS, useHarness, type OpenAIUnderTest } from "../support/harness.js";

export function transparencySuite(sdk: OpenAIUnderTest): void {
  describe(`${sdk.label}: transparency`, () => {
    const h = useHarness(sdk);
    const params = { model: "gpt-4o-mini", messages: USER_MSGS };

    it("keeps withResponse(), asResponse() and _request_id", async () => {
      const client = h.wrapped();
      const { data, response, request_id } = await client.chat.completions.create(params).withResponse();
      expect(request_id).toBe("req_fake_123");
      expect(response.status).toBe(200);
      expect(data.choices[0].message.content).toBe("It is sunny.");
      expect(data._request_id).toBe("req_fake_123");

      const raw = await client.chat.completions.create(params).asResponse();
      expect(raw.bodyUsed).toBe(false);
      expect((await raw.json()).choices[0].message.content).toBe("It is sunny.");

      const streamed = await client.chat.completions.create({ ...params, stream: true }).withResponse();
      expect(streamed.request_id).toBe("req_fake_sse");
      await drain(streamed.data);

      const traces = await h.traces(3);
      const spans = traces.map((t) => onlySpan(t));
      const rawSpan = spans.find((s) => s.metadata.raw_response)!;
      expect(rawSpan.status).toBe("OK");
      expect(rawSpan.metadata.usage_unavailable).toBe(true);
      expect(spans.filter((s) => (s.output as any)?.messages?.[0]?.content === "It is sunny.")).toHaveLength(2);
    });

    it("returns the SDK's own APIPromise: same class, same own properties, same inspect output", async () => {
      const wrapped = h.wrapped().chat.completions.create(params);
      const bare = h.bare().chat.completions.create(params);
      expect(wrapped).toBeInstanceOf(bare.constructor);
      expect(Reflect.ownKeys(wrapped)).toEqual(Reflect.ownKeys(bare));
      expect(inspect(wrapped).replace(/\d+/g, "")).toBe(inspect(bare).replace(/\d+/g, ""));
      await Promise.all([wrapped, bare]);
      expect((await h.traces(1))[0].name).toBe("openai-chat");
    });

    it("returns the very Stream object: tee() and toReadableStream() work, spans see every chunk once", async () => {
      const client = h.wrapped();
      const bareStream = await h.bare().chat.completions.create({ ...params, stream: true });
      const stream = await client.chat.completions.create({ ...params, stream: true });
      expect(stream.constructor).toBe(bareStream.constructor);
      await drain(bareStream);
      const [a, b] = stream.tee();
      expect(a.controller).toBe(b.controller);
      const [ca, cb] = [await drain(a), await drain(b)];
      expect(ca).toHaveLength(5);
      expect(cb).toEqual(ca);

      const s2 = await client.chat.completions.create({ ...params, stream: true });
      const text = await new Response(s2.toReadableStream()).text();
      expect(text.trim().split("\n")).toHaveLength(5);
      const traces = await h.traces(2);
      for (const t of traces)
        expect(onlySpan(t).output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
    });

    it("keeps one-shot iteration: a second iteration fails as with the bare client", async () => {
      const client = h.wrapped();
      const stream = await client.chat.completions.create({ ...params, stream: true });
      await drain(stream);
      await expect(drain(stream)).rejects.toThrow(/Cannot iterate over a consumed stream/);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.status).toBe("OK");
    });

    it("per-call options go to the trace, never to OpenAI; the caller's objects are not modified", async () => {
      const client = h.wrapped({ userId: "wrap-user", tags: ["wrap"], metadata: { app: "a" } });
      const p = { ...params };
      const requestOptions = { headers: { "x-custom": "1" } };
      const snapshot = structuredClone({ p, requestOptions });
      await client.chat.completions.create(
        p,
        withPandaProbe({ userId: "call-user", sessionId: "s1", tags: ["call"], metadata: { step: 2 } }, requestOptions),
      );
      expect({ p, requestOptions }).toEqual(snapshot);
      const bare = h.bare();
      await bare.chat.completions.create(p, requestOptions);
      const [wrappedReq, bareReq] = h.fake.requests;
      expect(wrappedReq.body).toEqual(bareReq.body);
      expect(wrappedReq.headers["x-custom"]).toBe("1");
      const [trace] = await h.traces(1);
      expect(trace).toMatchObject({ user_id: "call-user", session_id: "s1" });
      expect([...trace.tags].sort()).toEqual(["call", "wrap"]);
      expect(onlySpan(trace).metadata).toMatchObject({ app: "a", step: 2 });
    });

    it("recordInputs/recordOutputs: false (wrapper or call) keep content out; usage and model stay", async () => {
      const client = h.wrapped({ recordInputs: false });
      await drain(
        await client.chat.completions.create({ ...params, stream: true }, withPandaProbe({ recordOutputs: false })),
      );
      await client.responses.create({ model: "gpt-5", instructions: "Be terse.", input: "Weather in Paris?" });
      const traces = await h.traces(2);
      const body = JSON.stringify(traces);
      expect(body).not.toContain("Weather in Paris");
      expect(body).not.toContain("terse");
      const chat = traces.find((t) => t.name === "openai-chat")!;
      expect(JSON.stringify(chat)).not.toContain("sunny");
      expect(onlySpan(chat).model).toBeTruthy();
      const response = traces.find((t) => t.name === "openai-response")!;
      expect(onlySpan(response).output).toEqual({ messages: [{ role: "assistant", content: "It is sunny." }] });
      expect(onlySpan(response).token_usage).toBeTruthy();
    });

    it("the client's mask redacts what the span records, never what OpenAI receives", async () => {
      const masked = createTestClient(h.standIn, { mask: redactStrings() });
      try {
        const client = wrapOpenAI(h.bare(), { client: masked });
        const p = { model: "gpt-4o-mini", messages: [{ role: "user", content: "I am ada@example.com, weather?" }] };
        await client.chat.completions.create(p);
        expect(h.fake.requests[0].body.messages[0].content).toBe("I am ada@example.com, weather?");
        expect(p.messages[0].content).toBe("I am ada@example.com, weather?");
        await masked.flush();
        const [trace] = await h.standIn.waitForTraces(1);
        expect(trace.input).toEqual({ messages: [{ role: "user", content: "I am [redacted], weather?" }] });
        expect(onlySpan(trace).input).toEqual({ messages: [{ role: "user", content: "I am [redacted], weather?" }] });
        expect(JSON.stringify(h.standIn.requests.map((r) => r.rawBody))).not.toContain("ada@example.com");
      } finally {
        await masked.shutdown();
      }
    });

    it("withPandaProbe({ traceId }) sets the standalone trace's id, so a score can be attached right after the call", async () => {
      const client = h.wrapped();
      const traceId = crypto.randomUUID();
      const streamId = crypto.randomUUID();
      await client.chat.completions.create(params, withPandaProbe({ traceId }));
      await drain(
        await client.chat.completions.create({ ...params, stream: true }, withPandaProbe({ traceId: streamId })),
      );
      // Scored before the traces are even recorded (they are built off the caller's path): each score waits for its trace.
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
