/** API errors and the client's own retries: one span per logical call, errors reach the caller unchanged. */
import { describe, expect, it } from "vitest";
import { wrapAnthropic } from "../../src/index.js";
import { drain, MESSAGES, MODEL, onlySpan, type SdkUnderTest, useHarness } from "../support/harness.js";

export function errorsSuite(sdk: SdkUnderTest): void {
  describe(`${sdk.label}: errors and retries`, () => {
    const h = useHarness(sdk);
    const params = { model: MODEL, max_tokens: 256, messages: MESSAGES };
    let seq = 0;
    const failing = (spec: string) => ({ headers: { "x-fake-fail": spec, "x-fake-id": `${sdk.label}-${++seq}` } });

    it("429 then 529 overloaded, then success with the client's retries: one span, OK", async () => {
      const client = h.wrapped({}, { maxRetries: 2 });
      const result = await client.messages.create(params, failing("429x1"));
      expect(result.content[0].text).toBe("It is sunny.");
      const overloaded = await client.messages.create(params, failing("529x2"));
      expect(overloaded.content[0].text).toBe("It is sunny.");
      expect(h.fake.requests).toHaveLength(5);
      expect(h.fake.requests[1].headers["x-stainless-retry-count"]).toBe("1");
      const traces = await h.traces(2);
      for (const t of traces) {
        expect(onlySpan(t)).toMatchObject({ status: "OK", error: null });
        expect(onlySpan(t).token_usage).toMatchObject({ prompt_tokens: 19 });
      }
    });

    it("500 on every attempt: the caller gets the same error as without the wrapper; the span records status and type", async () => {
      const bareError = await h
        .bare({ maxRetries: 1 })
        .messages.create(params, failing("500x2"))
        .catch((e: unknown) => e);
      const client = h.wrapped({}, { maxRetries: 1 });
      const error = await client.messages.create(params, failing("500x2")).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.Anthropic.InternalServerError);
      expect(error.constructor).toBe(bareError.constructor);
      expect(error.message).toBe(bareError.message);
      expect(error.status).toBe(500);
      expect(h.fake.requests).toHaveLength(4); // 2 attempts each
      const [trace] = await h.traces(1);
      expect(trace.status).toBe("ERROR");
      const span = onlySpan(trace);
      expect(span.status).toBe("ERROR");
      expect(span.error).toContain("fake 500");
      expect(span.metadata).toMatchObject({ error_status: 500, error_type: "api_error", request_id: "req_fail" });
      expect(span.metadata.error_name).toMatch(/InternalServerError/);
    });

    it("529 overloaded on every attempt of a stream: the create promise rejects unchanged, recorded once", async () => {
      const client = h.wrapped({}, { maxRetries: 1 });
      const error = await client.messages
        .create({ ...params, stream: true }, failing("529x5"))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.Anthropic.APIError);
      expect(error.status).toBe(529);
      expect(h.fake.requests).toHaveLength(2);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.metadata).toMatchObject({ error_status: 529, error_type: "overloaded_error" });
    });

    it("a 429 on a stream with no retries left reaches the caller as RateLimitError", async () => {
      const client = h.wrapped();
      const error = await (async () =>
        drain(await client.messages.create({ ...params, stream: true }, failing("429x1"))))().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.Anthropic.RateLimitError);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.metadata).toMatchObject({ error_status: 429, error_type: "rate_limit_error" });
    });

    it("an error thrown synchronously by create() propagates as the same object and is recorded", async () => {
      const bare = h.bare();
      const boom = new TypeError("bad request options");
      bare.messages.create = () => {
        throw boom; // what a synchronous SDK validation failure looks like to the wrapper
      };
      const client = wrapAnthropic(bare, { client: h.pp });
      let caught: unknown;
      try {
        client.messages.create(params);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBe(boom);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span).toMatchObject({ status: "ERROR", error: expect.stringContaining("bad request options") });
    });

    it("instrumentation never throws into the caller, whatever it is given", async () => {
      const client = h.wrapped();
      const hostile = new Proxy(
        {},
        {
          get() {
            throw new Error("hostile");
          },
        },
      );
      // The SDK's own validation decides what happens: the wrapper adds no error of its own.
      const bareOutcome = await Promise.resolve()
        .then(() => h.bare().messages.create(hostile))
        .then(
          () => "ok",
          (e: Error) => e.message,
        );
      const outcome = await Promise.resolve()
        .then(() => client.messages.create(hostile))
        .then(
          () => "ok",
          (e: Error) => e.message,
        );
      expect(outcome).toBe(bareOutcome);
      expect(wrapAnthropic(null as any)).toBeNull();
      expect(wrapAnthropic(42 as any)).toBe(42);
    });
  });
}
