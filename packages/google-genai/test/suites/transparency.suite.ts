/** What the caller gets is indistinguishable from the unwrapped client: objects, prototypes, getters, stream methods, errors. */
import { describe, expect, it } from "vitest";
import { drain, type GenAIUnderTest, MODEL, PARAMS, useHarness } from "../support/harness.js";

export function transparencySuite(sdk: GenAIUnderTest): void {
  describe(`${sdk.label}: transparency`, () => {
    const h = useHarness(sdk);

    it("the same client, models and chats objects; the wrapped methods keep their property attributes", () => {
      const bare = h.bare();
      const client = h.wrapped();
      expect(Object.keys(client)).toEqual(Object.keys(bare));
      expect(Object.keys(client.models)).toEqual(Object.keys(bare.models));
      expect(Object.getPrototypeOf(client.models)).toBe(Object.getPrototypeOf(bare.models));
      for (const key of ["generateContent", "generateContentStream", "embedContent"]) {
        const { value: _a, ...wrapped } = Object.getOwnPropertyDescriptor(client.models, key)!;
        const own = Object.getOwnPropertyDescriptor(bare.models, key);
        if (own) {
          const { value: _b, ...original } = own;
          expect(wrapped).toEqual(original);
        } else expect(wrapped.enumerable).toBe(false); // a prototype method in this release: a hidden own property
      }
      expect(client.chats).toBeInstanceOf(sdk.genai.Chats);
      expect(client.chats.create({ model: MODEL })).toBeInstanceOf(sdk.genai.Chat);
    });

    it("a response is the SDK's GenerateContentResponse with its getters, equal to the bare client's", async () => {
      const bare = await h.bare().models.generateContent(PARAMS);
      const res = await h.wrapped().models.generateContent(PARAMS);
      expect(res).toBeInstanceOf(sdk.genai.GenerateContentResponse);
      expect(Object.getPrototypeOf(res)).toBe(Object.getPrototypeOf(bare));
      expect(res.text).toBe(bare.text);
      const strip = ({ sdkHttpResponse: _s, ...rest }: any) => rest;
      expect(strip(res)).toEqual(strip(bare));
      await h.traces(1);
    });

    it("the call returns a plain promise, as the SDK's async method does, settling with the SDK's own error", async () => {
      const config = { httpOptions: { headers: { "x-fake-fail": "400x9", "x-fake-id": "p" } } };
      const other = { httpOptions: { headers: { "x-fake-fail": "400x9", "x-fake-id": "p2" } } };
      const bare = h.bare().models.generateContent({ ...PARAMS, config });
      const p = h.wrapped().models.generateContent({ ...PARAMS, config: other });
      expect(Object.getPrototypeOf(p)).toBe(Object.getPrototypeOf(bare));
      const [e1, e2] = await Promise.all([bare.catch((e: unknown) => e), p.catch((e: unknown) => e)]);
      expect(Object.getPrototypeOf(e2)).toBe(Object.getPrototypeOf(e1));
      expect((e2 as Error).message).toBe((e1 as Error).message);
      await h.traces(1);
    });

    it("a stream is the SDK's own async iterator: same prototype and keys; manual next() and return() work", async () => {
      const bare = await h.bare().models.generateContentStream(PARAMS);
      const stream = await h.wrapped().models.generateContentStream(PARAMS);
      expect(Object.getPrototypeOf(stream)).toBe(Object.getPrototypeOf(bare));
      expect(Object.keys(stream)).toEqual(Object.keys(bare));
      expect(stream[Symbol.asyncIterator]()).toBe(stream);
      const first = await stream.next();
      expect(first.done).toBe(false);
      expect(first.value).toBeInstanceOf(sdk.genai.GenerateContentResponse);
      expect((await stream.return(undefined)).done).toBe(true);
      expect((await stream.next()).done).toBe(true);
      await drain(bare);
      const [trace] = await h.traces(1);
      expect(trace.spans[0].metadata.stream_completed).toBe(false);
    });
  });
}
