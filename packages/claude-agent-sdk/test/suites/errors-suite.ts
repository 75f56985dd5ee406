/** Failures and early stops: API errors, the CLI's own retries, a stream cut short, break, return(), close(), interrupt(). */
import { oneSpan, rootSpan, spansNamed } from "@pandaprobe/testing";
import { expectSpansNest, uniqueTag } from "@pandaprobe/testing/vitest";
import { describe, expect, it } from "vitest";
import { wrapClaudeAgentQuery } from "../../src/index.js";
import { answerScenario, U1, U2, weatherScenario } from "../support/scenarios.js";
import { MODEL } from "../support/sdk.js";
import { drain, optionsFor, type SuiteEnv, weatherServer } from "../support/suite-env.js";
import { sdkTotalTokens } from "./query-suite.js";

async function failure(fn: () => Promise<unknown>): Promise<Error | undefined> {
  try {
    await fn();
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

export function errorsSuite(env: SuiteEnv): void {
  describe(`errors and early stops (${env.sdk.label})`, () => {
    it("an API error: the caller gets the SDK's own error, the turn and the trace are ERROR with the status", async () => {
      const tag = uniqueTag("api-error");
      env.fake.script(tag, {
        main: [{ error: { status: 400, type: "invalid_request_error", message: "bad request" } }],
      });
      const query = wrapClaudeAgentQuery(env.sdk.query, { client: env.h.client, tags: [tag] });
      const params = () => ({ prompt: `[[${tag}]] Hi`, options: optionsFor(env) });
      const bareMessages: any[] = [];
      const bareError = await failure(async () => {
        for await (const m of env.sdk.query(params())) bareMessages.push(m);
      });
      const messages: any[] = [];
      const error = await failure(async () => {
        for await (const m of query(params())) messages.push(m);
      });
      // Whatever this SDK line does on an API error (throw after its result, or end with an error result), the
      // traced query does the same.
      expect(error?.constructor).toBe(bareError?.constructor);
      expect(error?.message).toBe(bareError?.message);
      expect(messages.map((m) => m.type)).toEqual(bareMessages.map((m) => m.type));
      const result = messages.find((m) => m.type === "result");
      expect(result.is_error).toBe(true);

      const [trace] = await env.h.tagged(tag);
      expect(trace.status).toBe("ERROR");
      const root = rootSpan(trace)!;
      expect(root.status).toBe("ERROR");
      expect(root.error).toContain("bad request");
      expect(root.metadata).toMatchObject({ error_status: 400 });
      const turn = trace.spans.find((s) => s.kind === "LLM")!;
      expect(turn).toMatchObject({ status: "ERROR", model: MODEL });
      expect(turn.error).toContain("bad request");
      expect(turn.token_usage).toBeNull();
      expectSpansNest(trace);
    });

    it("the CLI's own retries: a 500, then a stream cut short (retried as a non-streamed JSON request)", async () => {
      const tag = uniqueTag("retries");
      const scenario = weatherScenario();
      (scenario.main[0] as any).failFirst = { status: 500, type: "api_error" };
      (scenario.main[1] as any).failFirst = "cut";
      env.fake.script(tag, scenario);
      const query = wrapClaudeAgentQuery(env.sdk.query, { client: env.h.client, tags: [tag] });
      const messages = await drain(
        query({
          prompt: `[[${tag}]] Weather?`,
          options: optionsFor(env, { mcpServers: { weather: weatherServer(env) } }),
        }),
      );
      const result = messages.find((m: any) => m.type === "result") as any;
      expect(result.result).toBe("It is 21C in Paris.");
      const routed = env.fake.requests.filter((r) => r.route === tag);
      expect(routed.map((r) => r.stream)).toEqual([true, true, true, false]);

      const [trace] = await env.h.tagged(tag);
      expect(trace.status).toBe("COMPLETED");
      const [first, second] = spansNamed(trace, MODEL);
      expect(spansNamed(trace, MODEL)).toHaveLength(2);
      expect(first.status).toBe("OK");
      // The non-streamed answer is complete when the SDK yields it: its output tokens are the turn's own.
      expect(second.token_usage).toMatchObject({
        prompt_tokens: U2.input + U2.cacheRead,
        completion_tokens: U2.output,
      });
      expect(second.output).toEqual({ messages: [{ role: "assistant", content: "It is 21C in Paris." }] });
      expect(oneSpan(trace, "mcp__weather__get_weather").status).toBe("OK");
      expect(trace.total_tokens).toBe(sdkTotalTokens(result));
      expectSpansNest(trace);
    });

    it("break out of for-await: the trace ends where the caller stopped, open tools incomplete", async () => {
      const tag = uniqueTag("break");
      env.fake.script(tag, weatherScenario());
      const query = wrapClaudeAgentQuery(env.sdk.query, { client: env.h.client, tags: [tag] });
      const q = query({
        prompt: `[[${tag}]] Weather?`,
        options: optionsFor(env, { mcpServers: { weather: weatherServer(env) } }),
      });
      const seen: any[] = [];
      for await (const m of q) {
        seen.push(m);
        if (m.type === "assistant" && m.message.content.some((b: any) => b.type === "tool_use")) break;
      }
      // As with the bare query: the loop's break ended the generator.
      expect(await q.next()).toEqual({ done: true, value: undefined });
      q.close();
      const [trace] = await env.h.tagged(tag);
      expect(trace.status).toBe("COMPLETED");
      const root = rootSpan(trace)!;
      expect(root.metadata).toMatchObject({ stream_completed: false });
      const turn = oneSpan(trace, MODEL);
      expect(turn.token_usage).toMatchObject({ prompt_tokens: U1.input + U1.cacheRead + U1.cacheWrite });
      const tool = oneSpan(trace, "mcp__weather__get_weather");
      expect(tool.metadata).toMatchObject({ incomplete: true, tool_call_id: "toolu_weather_1" });
      expect(trace.output).toEqual({ messages: [{ role: "assistant", content: "Let me check." }] });
      expectSpansNest(trace);
    });

    it("return() and close() called on the query end its trace as stopped", async () => {
      for (const stop of ["return", "close"] as const) {
        const tag = uniqueTag(`stop-${stop}`);
        env.fake.script(tag, answerScenario("Hello!"));
        const query = wrapClaudeAgentQuery(env.sdk.query, { client: env.h.client, tags: [tag] });
        const q = query({ prompt: `[[${tag}]] Hi`, options: optionsFor(env) });
        const first = await q.next();
        expect(first.done).toBe(false);
        if (stop === "return") expect(await q.return(undefined)).toEqual({ done: true, value: undefined });
        else q.close();
        const [trace] = await env.h.tagged(tag);
        expect(rootSpan(trace)!.metadata).toMatchObject({ stream_completed: false });
        expect(trace.status).toBe("COMPLETED");
        expectSpansNest(trace);
      }
    });

    it("an error thrown into the query (throw()) reaches the caller as the SDK gives it, and marks the trace ERROR", async () => {
      const tag = uniqueTag("throw");
      env.fake.script(tag, answerScenario("Hello!"));
      const query = wrapClaudeAgentQuery(env.sdk.query, { client: env.h.client, tags: [tag] });
      const q = query({ prompt: `[[${tag}]] Hi`, options: optionsFor(env) });
      await q.next();
      const boom = new Error("caller gave up");
      const thrown = await failure(() => q.throw(boom));
      expect(thrown).toBe(boom);
      q.close();
      const [trace] = await env.h.tagged(tag);
      expect(trace.status).toBe("ERROR");
      expect(rootSpan(trace)!.error).toBe("caller gave up");
    });

    it("interrupt() keeps its behaviour: the turn stops, the query ends as the SDK ends it, the trace is whole", async () => {
      const tag = uniqueTag("interrupt");
      env.fake.script(tag, { main: [{ blocks: [{ type: "text", text: "Thinking about it..." }], hold: true }] });
      const query = wrapClaudeAgentQuery(env.sdk.query, { client: env.h.client, tags: [tag] });
      let endInput!: () => void;
      const inputDone = new Promise<void>((r) => (endInput = r));
      async function* prompt() {
        yield {
          type: "user",
          session_id: "",
          parent_tool_use_id: null,
          message: { role: "user", content: `[[${tag}]] Hi` },
        };
        await inputDone;
      }
      const q = query({ prompt: prompt(), options: optionsFor(env) });
      const messages: any[] = [];
      let interrupted: Promise<unknown> | undefined;
      const error = await failure(async () => {
        for await (const m of q) {
          messages.push(m);
          if (m.type === "assistant" && !interrupted) interrupted = q.interrupt();
          if (m.type === "result") endInput();
        }
      });
      await interrupted;
      expect(messages.some((m) => m.type === "result")).toBe(true);
      const [trace] = await env.h.tagged(tag);
      // This SDK line ends an interrupted single turn with an error result (newer ones throw it after): as it does.
      const result = messages.filter((m) => m.type === "result").at(-1);
      expect(trace.status).toBe(error || result.is_error ? "ERROR" : "COMPLETED");
      const turn = oneSpan(trace, MODEL);
      expect(turn.output).toEqual({ messages: [{ role: "assistant", content: "Thinking about it..." }] });
      expectSpansNest(trace);
    });
  });
}
