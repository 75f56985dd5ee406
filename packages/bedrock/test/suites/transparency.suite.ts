/** What the caller gets is indistinguishable from the unwrapped client: outputs, streams, iterators, every way of sending. */
import { withPandaProbe } from "@pandaprobe/core";
import { describe, expect, it } from "vitest";
import { wrapBedrock } from "../../src/index.js";
import {
  type BedrockUnderTest,
  CLAUDE,
  CREDENTIALS,
  drain,
  json,
  MESSAGES,
  onlySpan,
  useHarness,
} from "../support/harness.js";

/** An output without what differs per request (the request id). */
const comparable = (output: any) => ({ ...output, $metadata: { ...output.$metadata, requestId: "*" } });

export function transparencySuite(t: BedrockUnderTest): void {
  describe(`${t.label}: transparency`, () => {
    const h = useHarness(t);
    const converse = () => new t.sdk.ConverseCommand({ modelId: CLAUDE, messages: MESSAGES });
    const converseStream = () => new t.sdk.ConverseStreamCommand({ modelId: CLAUDE, messages: MESSAGES });
    const invokeStream = () =>
      new t.sdk.InvokeModelWithResponseStreamCommand({
        modelId: CLAUDE,
        body: json({ messages: [{ role: "user", content: "hi" }] }),
      });

    it("returns the same client; send's promise and output are the SDK's own, equal to the bare client's", async () => {
      const bareClient = h.bare();
      const client = h.bare();
      expect(wrapBedrock(client, { client: h.pp })).toBe(client);
      expect(Object.getPrototypeOf(client)).toBe(Object.getPrototypeOf(bareClient));
      const promise = client.send(converse());
      expect(promise).toBeInstanceOf(Promise);
      expect(Object.getPrototypeOf(promise)).toBe(Promise.prototype);
      const [wrapped, bare] = await Promise.all([promise, bareClient.send(converse())]);
      expect(comparable(wrapped)).toEqual(comparable(bare));
      expect(Reflect.ownKeys(wrapped)).toEqual(Reflect.ownKeys(bare));
      await h.traces(1);
    });

    it("an event stream stays the SDK's object: same keys and prototype; its iterator is the SDK's generator", async () => {
      for (const command of [converseStream, invokeStream]) {
        const bare = await h.bare().send(command());
        const wrapped = await h.wrapped().send(command());
        expect(Reflect.ownKeys(wrapped)).toEqual(Reflect.ownKeys(bare));
        const [ws, bs] = [wrapped.stream ?? wrapped.body, bare.stream ?? bare.body];
        expect(Object.getPrototypeOf(ws)).toBe(Object.getPrototypeOf(bs));
        expect(Reflect.ownKeys(ws)).toEqual(Reflect.ownKeys(bs));
        const [wi, bi] = [ws[Symbol.asyncIterator](), bs[Symbol.asyncIterator]()];
        // Each stream's generator function has a prototype of its own (bare streams differ from each other too).
        const protoOf = (x: object) => Object.getPrototypeOf(Object.getPrototypeOf(x));
        expect(protoOf(wi)).toBe(protoOf(bi));
        expect(Object.prototype.toString.call(wi)).toBe(Object.prototype.toString.call(bi));
        expect(wi[Symbol.asyncIterator]()).toBe(wi);
        const [we, be] = [
          await drain({ [Symbol.asyncIterator]: () => wi }),
          await drain({ [Symbol.asyncIterator]: () => bi }),
        ];
        expect(we).toEqual(be);
      }
      expect((await h.traces(2)).map((x) => onlySpan(x).status)).toEqual(["OK", "OK"]);
    });

    it("send with a callback (with and without options) is traced and calls back with the SDK's output", async () => {
      const client = h.wrapped();
      const viaCallback = (...args: unknown[]) =>
        new Promise<any>((resolve, reject) => {
          const result = client.send(...args, (err: unknown, data: unknown) => (err ? reject(err) : resolve(data)));
          expect(result).toBeUndefined();
        });
      const a = await viaCallback(converse());
      const b = await viaCallback(converse(), withPandaProbe({ userId: "u-cb" }));
      expect(a.output.message.role).toBe("assistant");
      expect(b.output.message.role).toBe("assistant");
      const traces = await h.traces(2);
      expect(traces.map((x) => x.user_id ?? null).sort()).toEqual([null, "u-cb"]);
    });

    it("the aggregated BedrockRuntime client's methods are traced", async () => {
      const client = wrapBedrock(
        new t.sdk.BedrockRuntime({
          region: "us-east-1",
          credentials: CREDENTIALS,
          endpoint: h.fake.endpoint,
          maxAttempts: 1,
        }),
        { client: h.pp },
      );
      try {
        await client.converse({ modelId: CLAUDE, messages: MESSAGES }, withPandaProbe({ sessionId: "s-agg" }));
        await drain((await client.converseStream({ modelId: CLAUDE, messages: MESSAGES })).stream);
        const traces = await h.traces(2);
        expect(traces.map((x) => x.name)).toEqual(["bedrock-converse", "bedrock-converse"]);
        expect(traces.map((x) => x.session_id ?? null).sort()).toEqual([null, "s-agg"]);
      } finally {
        client.destroy();
      }
    });

    it("a client with cacheMiddleware wrapped after its first calls is traced from then on", async () => {
      const client = h.bare({ cacheMiddleware: true });
      await client.send(converse());
      wrapBedrock(client, { client: h.pp });
      await client.send(converse());
      expect(h.fake.requests).toHaveLength(2);
      expect(await h.traces(1)).toHaveLength(1);
    });

    it("the caller's input is never changed, and other commands pass straight through untraced", async () => {
      const client = h.wrapped();
      const input = { modelId: CLAUDE, messages: [...MESSAGES], inferenceConfig: { maxTokens: 10 } };
      const snapshot = structuredClone(input);
      const command = new t.sdk.ConverseCommand(input);
      await client.send(command);
      expect(input).toEqual(snapshot);
      expect(command.input).toBe(input);
      const other = await client
        .send(
          new t.sdk.ApplyGuardrailCommand({
            guardrailIdentifier: "g",
            guardrailVersion: "1",
            source: "INPUT",
            content: [],
          }),
        )
        .catch((e: unknown) => e);
      expect(other).toBeInstanceOf(Error); // the fake knows no guardrails
      expect(await h.traces(1)).toHaveLength(1);
      expect(h.standIn.traces()).toHaveLength(1);
    });

    it("never throws into the caller for what it cannot use: a non-client, a frozen stream", async () => {
      expect(wrapBedrock({} as any)).toEqual({});
      expect(wrapBedrock(null as any)).toBeNull();
      const client = h.wrapped();
      // A middleware below ours that freezes the output's stream: the stream cannot be observed, the call still ends.
      client.middlewareStack.add(
        (next: any) => async (args: any) => {
          const r = await next(args);
          Object.freeze(r.output.stream);
          return r;
        },
        { step: "initialize", priority: "low", name: "freezesStream" },
      );
      const res = await client.send(converseStream());
      expect((await drain(res.stream)).length).toBe(7);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.metadata.pandaprobe_untraced_result).toBe(true);
    });
  });
}
