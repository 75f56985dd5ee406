/** Service errors and the client's own retries: one span per logical call, errors reach the caller unchanged. */
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import { describe, expect, it } from "vitest";
import { type BedrockUnderTest, CLAUDE, json, MESSAGES, onlySpan, REPLY, useHarness } from "../support/harness.js";

/** The SDK's standard retry decisions with a 1 ms backoff (its default waits up to seconds for throttling). */
const retries = (maxAttempts: number) => ({ retryStrategy: new ConfiguredRetryStrategy(maxAttempts, 1) });

export function errorsSuite(t: BedrockUnderTest): void {
  describe(`${t.label}: errors and retries`, () => {
    const h = useHarness(t);
    const converse = (modelId: string) => new t.sdk.ConverseCommand({ modelId, messages: MESSAGES });

    it("429 then success with the client's retry: one span, OK, no error", async () => {
      const client = h.wrapped({}, retries(3));
      const res = await client.send(converse(`${CLAUDE}-fail-429x1`));
      expect(res.output.message.content[0].text).toBe(REPLY);
      expect(res.$metadata.attempts).toBe(2);
      expect(h.fake.requests).toHaveLength(2);
      expect(h.fake.requests[1].headers["amz-sdk-request"]).toMatch(/attempt=2/);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span).toMatchObject({ status: "OK", error: null });
      expect(span.token_usage).toMatchObject({ prompt_tokens: 18 });
    });

    it("a stream request throttled once is retried by the client: one span, the stream read as usual", async () => {
      const client = h.wrapped({}, retries(3));
      const command = new t.sdk.InvokeModelWithResponseStreamCommand({
        modelId: `${CLAUDE}-fail-429x1`,
        body: json({ messages: [{ role: "user", content: "hi" }] }),
      });
      const res = await client.send(command);
      let chunks = 0;
      for await (const _ of res.body) chunks++;
      expect(chunks).toBe(8);
      expect(h.fake.requests).toHaveLength(2);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span).toMatchObject({ status: "OK", output: { messages: [{ role: "assistant", content: REPLY }] } });
    });

    it("500 on every attempt: the caller gets the same error as without the wrapper; the span records it", async () => {
      const bareError = await h
        .bare(retries(2))
        .send(converse(`${CLAUDE}-fail-500x2`))
        .catch((e: unknown) => e);
      const client = h.wrapped({}, retries(2));
      const error = await client.send(converse(`${CLAUDE}-fail-500x2`)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(t.sdk.InternalServerException);
      expect(error.constructor).toBe(bareError.constructor);
      expect(error.message).toBe(bareError.message);
      expect(error.$metadata.httpStatusCode).toBe(500);
      expect(h.fake.requests).toHaveLength(4); // 2 attempts each
      const [trace] = await h.traces(1);
      expect(trace.status).toBe("ERROR");
      const span = onlySpan(trace);
      expect(span.status).toBe("ERROR");
      expect(span.error).toContain("The server encountered an error");
      expect(span.metadata).toMatchObject({
        error_status: 500,
        error_type: "server",
        error_name: "InternalServerException",
        request_id: error.$metadata.requestId,
      });
      expect(span.metadata.usage_unavailable).toBeUndefined();
    });

    it("a ValidationException is not retried; InvokeModel and the streaming commands record it the same way", async () => {
      const client = h.wrapped({}, retries(3));
      const body = json({ prompt: "hi" });
      const commands = [
        converse(`${CLAUDE}-fail-400x9`),
        new t.sdk.ConverseStreamCommand({ modelId: `${CLAUDE}-fail-400x9`, messages: MESSAGES }),
        new t.sdk.InvokeModelCommand({ modelId: "meta.llama3-fail-400x9", body }),
        new t.sdk.InvokeModelWithResponseStreamCommand({ modelId: "meta.llama3-fail-400x9", body }),
      ];
      for (const command of commands) {
        const error = await client.send(command).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(t.sdk.ValidationException);
      }
      expect(h.fake.requests).toHaveLength(4);
      const spans = (await h.traces(4)).map(onlySpan);
      expect(spans.map((s) => s.name).sort()).toEqual([
        "bedrock-converse",
        "bedrock-converse",
        "bedrock-invoke-model",
        "bedrock-invoke-model-stream",
      ]);
      for (const span of spans) {
        expect(span).toMatchObject({ status: "ERROR", error: expect.stringContaining("Malformed input request") });
        expect(span.metadata).toMatchObject({
          error_status: 400,
          error_type: "client",
          error_name: "ValidationException",
        });
      }
    });

    it("a ModelErrorException keeps the model's original status (error_code)", async () => {
      const client = h.wrapped();
      const error = await client.send(converse(`${CLAUDE}-fail-424x1`)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(t.sdk.ModelErrorException);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.metadata).toMatchObject({ error_status: 424, error_code: 500, error_name: "ModelErrorException" });
    });

    it("aborted before the response: the caller gets the SDK's AbortError; the span is ERROR with aborted: true", async () => {
      const client = h.wrapped();
      const controller = new AbortController();
      const closed = h.fake.waitForHangClosed();
      const pending = client.send(converse(`${CLAUDE}-hang`), { abortSignal: controller.signal });
      await h.fake.waitForRequests(1);
      controller.abort();
      const error = await pending.catch((e: unknown) => e);
      await closed;
      expect(error.name).toBe("AbortError");
      const span = onlySpan((await h.traces(1))[0]);
      expect(span).toMatchObject({ status: "ERROR" });
      expect(span.metadata).toMatchObject({ aborted: true, error_name: "AbortError" });
    });

    it("an error thrown synchronously below the middleware propagates as the same object and is recorded", async () => {
      const client = h.wrapped();
      const boom = new TypeError("bad input");
      // A user middleware below ours that throws synchronously (what a synchronous SDK failure looks like to us).
      client.middlewareStack.add(
        () => () => {
          throw boom;
        },
        { step: "initialize", priority: "low", name: "throwsSynchronously" },
      );
      const error = await client.send(converse(CLAUDE)).catch((e: unknown) => e);
      expect(error).toBe(boom);
      const span = onlySpan((await h.traces(1))[0]);
      expect(span).toMatchObject({ status: "ERROR", error: expect.stringContaining("bad input") });
    });
  });
}
