/** API errors and the client's own retries: one span per logical call; errors reach the caller unchanged. */
import { describe, expect, it } from "vitest";
import { wrapMistral } from "../../src/index.js";
import {
  expectedUsage,
  FAST_RETRIES,
  failing,
  type MistralUnderTest,
  onlySpan,
  USER_MSGS,
  useHarness,
} from "../support/harness.js";

export function errorsSuite(sdk: MistralUnderTest): void {
  describe(`${sdk.label}: errors and retries`, () => {
    const h = useHarness(sdk);
    const params = { model: "mistral-small-latest", messages: USER_MSGS };

    it("429 then success with the client's retries: one span, OK", async () => {
      const client = h.wrapped({}, { retryConfig: FAST_RETRIES });
      const res = await client.chat.complete(params, failing("429x1", "retry-ok"));
      expect(res.choices[0].message.content).toBe("It is sunny.");
      expect(h.fake.requests).toHaveLength(2);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span).toMatchObject({ status: "OK", error: null });
      expect(span.token_usage).toEqual(expectedUsage(sdk));
    });

    it("500 on every attempt: the caller gets the bare client's error; the span records status, type, code and request id", async () => {
      const bareError = await h
        .bare()
        .chat.complete(params, { ...failing("500x*", "bare-500"), retries: FAST_RETRIES })
        .catch((e: unknown) => e);
      const client = h.wrapped();
      const error = await client.chat
        .complete(params, { ...failing("500x*", "wrapped-500"), retries: FAST_RETRIES })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.sdk.SDKError ?? Error);
      expect(error.constructor).toBe(bareError.constructor);
      expect(error.message).toBe(bareError.message);
      const attempts = h.fake.requests.filter((r) => r.headers["x-fake-id"] === "wrapped-500").length;
      expect(attempts).toBeGreaterThan(1);
      const [trace] = await h.traces(1);
      expect(trace.status).toBe("ERROR");
      const span = onlySpan(trace);
      expect(span.status).toBe("ERROR");
      expect(span.error).toContain("fake 500");
      expect(span.metadata).toMatchObject({
        error_name: "SDKError",
        error_status: 500,
        error_type: "internal_server_error",
        error_code: "5000",
        request_id: "corr-fail",
      });
    });

    it("422: the SDK's HTTPValidationError, recorded with its status", async () => {
      const error = await h
        .wrapped()
        .chat.complete({ ...params, model: "mistral-invalid" })
        .catch((e: unknown) => e);
      expect(error.name).toBe("HTTPValidationError");
      const span = onlySpan((await h.traces(1))[0]);
      expect(span).toMatchObject({
        status: "ERROR",
        metadata: { error_name: "HTTPValidationError", error_status: 422 },
      });
    });

    it("a streaming request failing with 429 rejects unchanged and is recorded once", async () => {
      const error = await h
        .wrapped()
        .chat.stream(params, failing("429x*", "stream-429"))
        .catch((e: unknown) => e);
      expect(error.statusCode ?? error.rawResponse?.status).toBe(429);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.status).toBe("ERROR");
      expect(span.metadata).toMatchObject({ error_status: 429, error_type: "rate_limited", request_id: "corr-fail" });
      expect(span.metadata.streamed).toBeUndefined();
    });

    it("a request aborted by the caller before the answer: the bare client's error, the span says aborted", async () => {
      const controller = new AbortController();
      controller.abort();
      const bareError = await h
        .bare()
        .chat.complete(params, { fetchOptions: { signal: controller.signal } })
        .catch((e: unknown) => e);
      const error = await h
        .wrapped()
        .chat.complete(params, { fetchOptions: { signal: controller.signal } })
        .catch((e: unknown) => e);
      expect(error.constructor).toBe(bareError.constructor);
      expect(error.message).toBe(bareError.message);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span).toMatchObject({ status: "ERROR", metadata: { aborted: true, error_name: error.name } });
    });

    it("hostile or missing arguments: the caller gets exactly what the bare client gives, nothing is recorded", async () => {
      const hostile = new Proxy(
        {},
        {
          get() {
            throw new Error("hostile getter");
          },
        },
      );
      const outcome = (p: Promise<unknown>) =>
        p.then(
          () => "resolved",
          (e: Error) => `${e.constructor.name}: ${e.message}`,
        );
      const bare = h.bare();
      const client = h.wrapped();
      for (const args of [[], [undefined], [hostile], [{ ...params, messages: hostile }]]) {
        expect(await outcome(client.chat.complete(...args))).toBe(await outcome(bare.chat.complete(...args)));
      }
      await h.pp.flush();
      expect(h.standIn.traces().filter((t) => t.spans.some((s) => s.status === "OK"))).toEqual([]);
      // wrapMistral itself never throws, whatever it is given.
      const throwing = Object.defineProperty({}, "chat", {
        get() {
          throw new Error("hostile resource");
        },
      });
      for (const odd of [null, 42, "x", throwing, { chat: null }, { chat: { complete: 1 } }]) {
        expect(wrapMistral(odd as any, { client: h.pp })).toBe(odd);
      }
    });

    it("an error thrown synchronously by the SDK propagates as the same object and is recorded", async () => {
      const bare = h.bare();
      const boom = new TypeError("bad request options");
      bare.chat.complete = () => {
        throw boom; // what a synchronous SDK failure looks like to the wrapper
      };
      const client = wrapMistral(bare, { client: h.pp });
      let caught: unknown;
      try {
        client.chat.complete(params);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBe(boom);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span).toMatchObject({ status: "ERROR", error: expect.stringContaining("bad request options") });
    });
  });
}
