/** Whose trace it is and where it goes: concurrency, per-query options, enclosing spans, content policy, the sweep. */
import { randomUUID } from "node:crypto";
import { session, user, withPandaProbe, withSpan } from "@pandaprobe/core";
import { oneSpan, rootSpan } from "@pandaprobe/testing";
import { expectSpansNest, itClosesAbandonedCalls, uniqueTag } from "@pandaprobe/testing/vitest";
import { describe, expect, it } from "vitest";
import { wrapClaudeAgentQuery } from "../../src/index.js";
import { answerScenario, weatherScenario } from "../support/scenarios.js";
import { MODEL } from "../support/sdk.js";
import { drain, optionsFor, type SuiteEnv, weatherServer } from "../support/suite-env.js";

/** Overlapping queries, each under its own `user()`/`session()` scope (one CLI process each). */
const OVERLAPPING = 4;

export function contextSuite(env: SuiteEnv): void {
  describe(`context (${env.sdk.label})`, () => {
    it(`${OVERLAPPING} overlapping queries under different user()/session() scopes: 0 misattributions`, async () => {
      const tag = uniqueTag("concurrent");
      const query = wrapClaudeAgentQuery(env.sdk.query, { client: env.h.client, tags: [tag] });
      await Promise.all(
        Array.from({ length: OVERLAPPING }, (_, i) => {
          const name = `${tag}-${i}`;
          env.fake.script(name, answerScenario(`answer ${i}`));
          return user(`user-${i}`, () =>
            session(`session-${i}`, () =>
              drain(query({ prompt: `[[${name}]] question ${i}`, options: optionsFor(env, {}, `home-${i}`) })),
            ),
          );
        }),
      );
      const traces = await env.h.tagged(tag, OVERLAPPING);
      for (const trace of traces) {
        const i = /question (\d+)/.exec(JSON.stringify(trace.input))![1];
        expect(trace.user_id).toBe(`user-${i}`);
        expect(trace.session_id).toBe(`session-${i}`);
        expect(trace.output).toEqual({ messages: [{ role: "assistant", content: `answer ${i}` }] });
        expect(oneSpan(trace, MODEL).output).toEqual({ messages: [{ role: "assistant", content: `answer ${i}` }] });
      }
    });

    it("per-query options (withPandaProbe) win over the wrapper's: ids, name, tags, metadata", async () => {
      const tag = uniqueTag("per-call");
      env.fake.script(tag, answerScenario());
      const query = wrapClaudeAgentQuery(env.sdk.query, { client: env.h.client, userId: "wrapper-user", tags: [tag] });
      const traceId = randomUUID();
      await drain(
        query(
          withPandaProbe(
            {
              userId: "call-user",
              sessionId: "call-session",
              traceId,
              name: "support-agent",
              tags: ["vip"],
              metadata: { plan: "pro" },
            },
            { prompt: `[[${tag}]] Hi`, options: optionsFor(env) },
          ),
        ),
      );
      // On `options` too.
      await drain(query({ prompt: `[[${tag}]] Hi`, options: withPandaProbe({ userId: "opt-user" }, optionsFor(env)) }));
      const [a, b] = await env.h.tagged(tag, 2);
      const [byCall, byOptions] = a.trace_id === traceId ? [a, b] : [b, a];
      expect(byCall).toMatchObject({
        trace_id: traceId,
        name: "support-agent",
        user_id: "call-user",
        session_id: "call-session",
      });
      expect(byCall.tags).toEqual(expect.arrayContaining([tag, "vip"]));
      expect(byCall.metadata).toMatchObject({ plan: "pro" });
      expect(rootSpan(byCall)!.name).toBe("support-agent");
      expect(byOptions.user_id).toBe("opt-user");
    });

    it("inside an active span the query is a span of that trace (no trace of its own)", async () => {
      const tag = uniqueTag("nested");
      env.fake.script(tag, answerScenario());
      const query = wrapClaudeAgentQuery(env.sdk.query, { client: env.h.client });
      await withSpan("handler", { trace: { client: env.h.client, tags: [tag] } }, () =>
        drain(query({ prompt: `[[${tag}]] Hi`, options: optionsFor(env) })),
      );
      const [got] = await env.h.tagged(tag);
      const root = oneSpan(got, "ClaudeAgentSDK");
      expect(root.parent_span_id).toBe(oneSpan(got, "handler").span_id);
      expect(oneSpan(got, MODEL).parent_span_id).toBe(root.span_id);
      expectSpansNest(got);
    });

    it("recordInputs / recordOutputs false: no prompt, message, tool argument or result is sent; usage still is", async () => {
      const tag = uniqueTag("private");
      env.fake.script(tag, weatherScenario());
      const query = wrapClaudeAgentQuery(env.sdk.query, {
        client: env.h.client,
        tags: [tag],
        recordInputs: false,
        recordOutputs: false,
      });
      const secret = "secret-question-7";
      await drain(
        query({
          prompt: `[[${tag}]] ${secret}`,
          options: optionsFor(env, { mcpServers: { weather: weatherServer(env) } }),
        }),
      );
      const [trace] = await env.h.tagged(tag);
      const text = JSON.stringify(trace);
      expect(text).not.toContain(secret);
      expect(text).not.toContain("Paris");
      for (const s of trace.spans) expect([s.input, s.output]).toEqual([null, null]);
      expect(trace.input).toBeNull();
      expect(trace.output).toBeNull();
      expect(oneSpan(trace, "mcp__weather__get_weather")).toBeDefined();
      expect(trace.spans.find((s) => s.kind === "LLM")!.token_usage).not.toBeNull();
    });

    itClosesAbandonedCalls(`claude-agent-sdk (${env.sdk.label})`, {
      rootName: "ClaudeAgentSDK",
      abandon: ({ client, staleCallTimeoutMs }) => {
        const tag = uniqueTag("abandoned");
        env.fake.script(tag, answerScenario());
        const query = wrapClaudeAgentQuery(env.sdk.query, { client, staleCallTimeoutMs });
        // Started and never read: the caller walked away (its CLI is stopped after the suite).
        return query({ prompt: `[[${tag}]] Hi`, options: optionsFor(env) });
      },
    });
  });
}
