/** HTTP errors and the client's own retries: the caller gets exactly what the bare client gives, the span records it. */
import { describe, expect, it } from "vitest";
import { type GenAIUnderTest, MODEL, MODES, onlySpan, PARAMS, useHarness } from "../support/harness.js";

export function errorsSuite(sdk: GenAIUnderTest): void {
  for (const mode of MODES) {
    describe(`${sdk.label} (${mode}): errors and retries`, () => {
      const h = useHarness(sdk);
      const failing = (status: number, count: number, id: string) => ({
        ...PARAMS,
        config: { httpOptions: { headers: { "x-fake-fail": `${status}x${count}`, "x-fake-id": id } } },
      });

      it("a 429: the SDK's ApiError, unchanged; the span and trace are ERROR with the status and Google's status name", async () => {
        const bareError = await h
          .bare(mode)
          .models.generateContent(failing(429, 1, `bare-429-${mode}`))
          .catch((e: unknown) => e);
        const error = await h
          .wrapped(mode)
          .models.generateContent(failing(429, 1, `w-429-${mode}`))
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(sdk.genai.ApiError);
        expect(Object.getPrototypeOf(error)).toBe(Object.getPrototypeOf(bareError));
        expect({ ...(error as object), message: (error as Error).message }).toEqual({
          ...(bareError as object),
          message: (bareError as Error).message,
        });
        const [trace] = await h.traces(1);
        expect(trace.status).toBe("ERROR");
        expect(onlySpan(trace)).toMatchObject({
          status: "ERROR",
          error: expect.stringContaining("fake failure 1"),
          metadata: {
            error_name: "ApiError",
            error_status: 429,
            error_type: "RESOURCE_EXHAUSTED",
            error_code: 429,
            usage_unavailable: true,
          },
        });
      });

      it("a stream refused with a 503: the error reaches the caller from the promise, the span records it", async () => {
        const error = await h
          .wrapped(mode)
          .models.generateContentStream(failing(503, 1, `s-503-${mode}`))
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(sdk.genai.ApiError);
        expect(onlySpan((await h.traces(1))[0]).metadata).toMatchObject({
          error_status: 503,
          error_type: "UNAVAILABLE",
        });
      });

      it("the client's retries (httpOptions.retryOptions): one span for the call, which ends as the bare client's call does", async () => {
        const options = { httpOptions: { retryOptions: { attempts: 2, initialDelay: 0.001, maxDelay: 0.001 } } };
        const bare = await h
          .bare(mode, options)
          .models.generateContent(failing(503, 1, `bare-retry-${mode}`))
          .then(
            (r: any) => r.text,
            (e: Error) => e,
          );
        const bareAttempts = h.fake.requests.length;
        h.fake.requests.length = 0;
        const client = h.wrapped(mode, {}, options);
        const res = await client.models.generateContent(failing(503, 1, `retry-${mode}`)).then(
          (r: any) => r.text,
          (e: Error) => e,
        );
        expect(h.fake.requests).toHaveLength(bareAttempts);
        const span = onlySpan((await h.traces(1))[0]);
        if (bare instanceof Error) {
          // This release has no request retries: the same failure.
          expect((res as Error).message).toBe(bare.message);
          expect(span.status).toBe("ERROR");
          return;
        }
        expect(bareAttempts).toBe(2);
        expect(res).toBe("It is sunny.");
        expect(span).toMatchObject({
          status: "OK",
          output: { messages: [{ role: "assistant", content: "It is sunny." }] },
        });
      });

      it("an invalid request the SDK rejects before sending: the same rejection, the span is ERROR", async () => {
        const bareError = await h
          .bare(mode)
          .models.generateContent({ model: MODEL, contents: [] })
          .catch((e: unknown) => e);
        const error = await h
          .wrapped(mode)
          .models.generateContent({ model: MODEL, contents: [] })
          .catch((e: unknown) => e);
        expect((error as Error).message).toBe((bareError as Error).message);
        expect(onlySpan((await h.traces(1))[0]).status).toBe("ERROR");
        expect(h.fake.requests).toHaveLength(0);
      });

      it("an aborted request (config.abortSignal): the SDK's AbortError, the span says aborted", async () => {
        const controller = new AbortController();
        controller.abort();
        const params = { ...PARAMS, config: { abortSignal: controller.signal } };
        const bareError = await h
          .bare(mode)
          .models.generateContent(params)
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        const error = await h
          .wrapped(mode)
          .models.generateContent(params)
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        const span = onlySpan((await h.traces(1))[0]);
        if (bareError === undefined) {
          // This release does not pass the signal on for this call: neither does the wrapper.
          expect(error).toBeUndefined();
          return;
        }
        expect((error as Error).name).toBe("AbortError");
        expect(span.metadata).toMatchObject({ aborted: true, error_name: "AbortError" });
      });
    });
  }
}
