/** What the caller sees is the SDK's own: promises, streams, methods, errors; nothing of ours reaches Mistral. */
import { inspect } from "node:util";
import { redactStrings, score } from "@pandaprobe/core";
import { createTestClient } from "@pandaprobe/testing";
import { describe, expect, it } from "vitest";
import { withPandaProbe, wrapMistral } from "../../src/index.js";
import {
  drain,
  FAST_RETRIES,
  type MistralUnderTest,
  onlySpan,
  streamedText,
  USER_MSGS,
  useHarness,
} from "../support/harness.js";

export function transparencySuite(sdk: MistralUnderTest): void {
  describe(`${sdk.label}: transparency`, () => {
    const h = useHarness(sdk);
    const params = { model: "mistral-small-latest", messages: USER_MSGS };

    it("methods keep their names and arity; results are the SDK's own promise class", async () => {
      const client = h.wrapped();
      const bare = h.bare();
      for (const [resource, method] of [
        ["chat", "complete"],
        ["chat", "stream"],
        ["fim", "complete"],
        ["agents", "stream"],
        ["embeddings", "create"],
      ]) {
        expect(client[resource][method].name).toBe(bare[resource][method].name);
        expect(client[resource][method].length).toBe(bare[resource][method].length);
      }
      const wrapped = client.chat.complete(params);
      const plain = bare.chat.complete(params);
      expect(Object.getPrototypeOf(wrapped)).toBe(Object.getPrototypeOf(plain));
      expect(Reflect.ownKeys(wrapped)).toEqual(Reflect.ownKeys(plain));
      await Promise.all([wrapped, plain]);
      expect((await h.traces(1))[0].name).toBe("mistral-chat");
    });

    it("the stream is the SDK's own EventStream: same class, same own properties, same inspect output", async () => {
      const stream = await h.wrapped().chat.stream(params);
      const bareStream = await h.bare().chat.stream(params);
      expect(stream.constructor).toBe(bareStream.constructor);
      expect(stream).toBeInstanceOf(bareStream.constructor);
      expect(stream instanceof ReadableStream).toBe(sdk.readableStream);
      expect(Reflect.ownKeys(stream)).toEqual(Reflect.ownKeys(bareStream));
      expect(inspect(stream)).toBe(inspect(bareStream));
      const iterator = stream[Symbol.asyncIterator]();
      const bareIterator = bareStream[Symbol.asyncIterator]();
      expect(Object.getPrototypeOf(iterator)).toBe(Object.getPrototypeOf(bareIterator));
      expect([iterator.next.name, iterator.return?.name]).toEqual([bareIterator.next.name, bareIterator.return?.name]);
      expect(await iterator.next()).toEqual(await bareIterator.next());
      await iterator.return?.();
      await bareIterator.return?.();
      expect(onlySpan((await h.traces(1))[0]).metadata.stream_completed).toBe(false);
    });

    it("a second iteration behaves as on the bare stream", async () => {
      const outcome = async (stream: any) => {
        const first = await drain(stream);
        const second = await drain(stream).then(
          (events) => ({ events }),
          (error: Error) => ({ error: error.constructor }),
        );
        return { first: first.length, second };
      };
      const wrapped = await outcome(await h.wrapped().chat.stream(params));
      expect(wrapped).toEqual(await outcome(await h.bare().chat.stream(params)));
      expect(onlySpan((await h.traces(1))[0]).status).toBe("OK");
    });

    it("per-call options go to the trace, never to Mistral; request options work; the caller's objects are not modified", async () => {
      const client = h.wrapped({ userId: "wrap-user", tags: ["wrap"], metadata: { app: "a" } });
      const p = { ...params, temperature: 0.3 };
      const requestOptions = {
        fetchOptions: { headers: { "x-custom": "1", "x-fake-fail": "503x1", "x-fake-id": "per-call" } },
        retries: FAST_RETRIES,
      };
      const snapshot = structuredClone({ p, requestOptions });
      const res = await client.chat.complete(
        p,
        withPandaProbe({ userId: "call-user", sessionId: "s1", tags: ["call"], metadata: { step: 2 } }, requestOptions),
      );
      expect(res.choices[0].message.content).toBe("It is sunny.");
      expect({ p, requestOptions }).toEqual(snapshot);
      const bareOptions = structuredClone(requestOptions);
      bareOptions.fetchOptions.headers["x-fake-id"] = "per-call-bare";
      await h.bare().chat.complete(p, bareOptions);
      // Both retried once (503, then 200): the client's own options took effect.
      expect(h.fake.requests).toHaveLength(4);
      const [wrappedReq, bareReq] = [h.fake.requests[1], h.fake.requests[3]];
      expect(wrappedReq.raw).toBe(bareReq.raw);
      const { "x-fake-id": _a, ...wrappedHeaders } = wrappedReq.headers;
      const { "x-fake-id": _b, ...bareHeaders } = bareReq.headers;
      expect(wrappedHeaders).toEqual(bareHeaders);
      expect(wrappedHeaders["x-custom"]).toBe("1");
      const [trace] = await h.traces(1);
      expect(trace).toMatchObject({ user_id: "call-user", session_id: "s1" });
      expect([...trace.tags].sort()).toEqual(["call", "wrap"]);
      expect(onlySpan(trace).metadata).toMatchObject({ app: "a", step: 2 });
    });

    it("withPandaProbe({ name, traceId }): the span and trace name, and a score attached right after the call", async () => {
      const client = h.wrapped();
      const traceId = crypto.randomUUID();
      const streamId = crypto.randomUUID();
      await client.chat.complete(params, withPandaProbe({ traceId, name: "plan-step" }));
      await drain(await client.chat.stream(params, withPandaProbe({ traceId: streamId })));
      // Scored before the traces are recorded (they are built off the caller's path): each score waits for its trace.
      expect(score({ traceId, name: "helpful", value: 1, client: h.pp })).toBe(true);
      expect(score({ traceId: streamId, name: "helpful", value: 0, client: h.pp })).toBe(true);
      const traces = await h.traces(2);
      expect(traces.map((t) => t.trace_id).sort()).toEqual([traceId, streamId].sort());
      expect(traces.find((t) => t.trace_id === traceId)).toMatchObject({ name: "plan-step" });
      expect(onlySpan(traces.find((t) => t.trace_id === traceId)!).name).toBe("plan-step");
      await h.pp.flush();
      const scores = await h.standIn.waitForRequests(
        (r) => r.path === "/evaluations/trace-scores" && r.status === 201,
        { count: 2 },
      );
      expect(scores.map((r) => (r.body as { trace_id: string }).trace_id).sort()).toEqual([traceId, streamId].sort());
    });

    it("recordInputs/recordOutputs: false (wrapper or call) keep content out; usage and model stay", async () => {
      const client = h.wrapped({ recordInputs: false });
      const events = await drain(await client.chat.stream(params, withPandaProbe({ recordOutputs: false })));
      expect(streamedText(events)).toBe("It is sunny.");
      await client.fim.complete({ model: "codestral-latest", prompt: "def secret_fn():" });
      const traces = await h.traces(2);
      const body = JSON.stringify(traces);
      expect(body).not.toContain("Weather in Paris");
      expect(body).not.toContain("secret_fn");
      const chat = traces.find((t) => t.name === "mistral-chat")!;
      expect(JSON.stringify(chat)).not.toContain("sunny");
      expect(onlySpan(chat).model).toBe("mistral-small-latest-2507");
      expect(onlySpan(chat).token_usage).toBeTruthy();
      const fim = traces.find((t) => t.name === "mistral-fim")!;
      expect(onlySpan(fim).output).toEqual({ messages: [{ role: "assistant", content: "return a + b\n" }] });
    });

    it("the client's mask redacts what the span records, never what Mistral receives", async () => {
      const masked = createTestClient(h.standIn, { mask: redactStrings() });
      try {
        const client = wrapMistral(h.bare(), { client: masked });
        const p = {
          model: "mistral-small-latest",
          messages: [{ role: "user", content: "I am ada@example.com, weather?" }],
        };
        await client.chat.complete(p);
        expect(h.fake.requests[0].body.messages[0].content).toBe("I am ada@example.com, weather?");
        await masked.flush();
        const [trace] = await h.standIn.waitForTraces(1);
        expect(trace.input).toEqual({ messages: [{ role: "user", content: "I am [redacted], weather?" }] });
        expect(JSON.stringify(h.standIn.requests.map((r) => r.rawBody))).not.toContain("ada@example.com");
      } finally {
        await masked.shutdown();
      }
    });
  });
}
