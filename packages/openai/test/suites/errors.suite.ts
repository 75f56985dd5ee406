/** API errors and the client's own retries: one span per logical call, errors reach the caller unchanged. */
import { describe, expect, it } from "vitest";
import { wrapOpenAI } from "../../src/index.js";
import { onlySpan, USER_MSGS, useHarness, type OpenAIUnderTest } from "../support/harness.js";

export function errorsSuite(sdk: OpenAIUnderTest): void {
  describe(`${sdk.label}: errors and retries`, () => {
    const h = useHarness(sdk);
    const params = { model: "gpt-4o-mini", messages: USER_MSGS };
    const failing = (spec: string, id: string) => ({ headers: { "x-fake-fail": spec, "x-fake-id": id } });

    it("429 then success with the client's retry: one span, OK, no error", async () => {
      const client = h.wrapped({}, { maxRetries: 2 });
      const res = await client.chat.completions.create(params, failing("429x1", `ok-${sdk.major}`));
      expect(res.choices[0].message.content).toBe("It is sunny.");
      expect(h.fake.requests).toHaveLength(2);
      expect(h.fake.requests[1].headers["x-stainless-retry-count"]).toBe("1");
      const span = onlySpan((await h.traces(1))[0]);
      expect(span).toMatchObject({ status: "OK", error: null });
      expect(span.token_usage).toMatchObject({ prompt_tokens: 12 });
    });

    it("500 on every attempt: the caller gets the same error as without the wrapper; the span records it with status", async () => {
      const bareError = await h
        .bare({ maxRetries: 1 })
        .chat.completions.create(params, failing("500x2", `bare-${sdk.major}`))
        .catch((e: unknown) => e);
      const client = h.wrapped({}, { maxRetries: 1 });
      const error = await client.chat.completions
        .create(params, failing("500x2", `wrapped-${sdk.major}`))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.OpenAI.InternalServerError);
      expect(error.constructor).toBe(bareError.constructor);
      expect(error.message).toBe(bareError.message);
      expect(error.status).toBe(500);
      expect(h.fake.requests).toHaveLength(4); // 2 attempts each
      const [trace] = await h.traces(1);
      expect(trace.status).toBe("ERROR");
      const span = onlySpan(trace);
      expect(span.status).toBe("ERROR");
      expect(span.error).toContain("fake 500");
      expect(span.metadata).toMatchObject({
        error_status: 500,
        error_type: "server_error",
        error_name: "InternalServerError",
      });
    });

    it("a streaming request failing with 429 rejects the create promise unchanged and is recorded once", async () => {
      const client = h.wrapped();
      const error = await client.chat.completions
        .create({ ...params, stream: true }, failing("429x1", `stream-${sdk.major}`))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.OpenAI.RateLimitError);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.metadata).toMatchObject({ error_status: 429 });
    });

    it("an error thrown synchronously by create() propagates as the same object and is recorded", async () => {
      const bare = h.bare();
      const boom = new TypeError("bad request options");
      bare.chat.completions.create = () => {
        throw boom; // what a synchronous SDK validation failure looks like to the wrapper
      };
      const client = wrapOpenAI(bare, { client: h.pp });
      let caught: unknown;
      try {
        client.chat.completions.create(params);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBe(boom);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span).toMatchObject({ status: "ERROR", error: expect.stringContaining("bad request options") });
    });
  });
}
