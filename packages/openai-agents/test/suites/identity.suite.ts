/**
 * Whose trace it is and where it goes: per-run ids (the SDK's trace metadata) > the processor's options >
 * `user()`/`session()` when the SDK trace starts > the group id; 100 overlapping runs under different scopes stay
 * apart; a run inside a PandaProbe span is a span of that trace; code inside a tool nests under its TOOL span;
 * recordInputs/recordOutputs.
 */
import { randomUUID } from "node:crypto";
import { session, user, withSpan, withTrace } from "@pandaprobe/core";
import { childNames, oneSpan, outline } from "@pandaprobe/testing";
import { expectSpansNest } from "@pandaprobe/testing/vitest";
import { describe, expect, it } from "vitest";
import { type Harness, weatherTool } from "../support/harness.js";

export function identitySuite(h: Harness): void {
  describe("identity and context", () => {
    it("per-run ids in the trace metadata > options > user()/session() > the group id", async () => {
      const { Agent, Runner } = h.agents;
      const agent = new Agent({ name: "Echo", model: "fake-echo" });
      h.install({ userId: "opt-user", tags: ["opt"], metadata: { app: "demo" } });
      const traceId = randomUUID();
      // Per-run: the run's own ids win over the options; its other keys are metadata.
      await user("ctx-user", () =>
        new Runner({
          groupId: "group-1",
          traceMetadata: { userId: "run-user", sessionId: "run-session", traceId, tags: ["run"], plan: "pro" },
        }).run(agent, "a"),
      );
      // Options: over the context, and the context's session over the group id.
      await user("ctx-user", () => session("ctx-session", () => new Runner({ groupId: "group-2" }).run(agent, "b")));
      // The group id: the session when nothing else names one.
      await new Runner({ groupId: "group-3" }).run(agent, "c");
      const traces = await h.traces(3);
      const byInput = (text: string) => traces.find((t) => JSON.stringify(t.input).includes(`"${text}"`))!;
      const a = byInput("a");
      expect(a).toMatchObject({ trace_id: traceId, user_id: "run-user", session_id: "run-session" });
      expect(a.tags.sort()).toEqual(["opt", "run"]);
      expect(a.metadata).toMatchObject({ app: "demo", plan: "pro", thread_id: "group-1" });
      expect(oneSpan(a, "Agent workflow").metadata).toMatchObject({ app: "demo", plan: "pro" });
      expect(byInput("b")).toMatchObject({ user_id: "opt-user", session_id: "ctx-session" });
      expect(byInput("c")).toMatchObject({ user_id: "opt-user", session_id: "group-3" });
    });

    it("the user()/session() context where the run starts, when neither the run nor the options name one", async () => {
      const { Agent, run } = h.agents;
      const agent = new Agent({ name: "Echo", model: "fake-echo" });
      await user("ctx-user", () => session("ctx-session", () => run(agent, "hello")));
      await run(agent, "outside");
      const traces = await h.traces(2);
      const inside = traces.find((t) => JSON.stringify(t.input).includes("hello"))!;
      const outside = traces.find((t) => JSON.stringify(t.input).includes("outside"))!;
      expect(inside).toMatchObject({ user_id: "ctx-user", session_id: "ctx-session" });
      expect(outside).toMatchObject({ user_id: null, session_id: null });
    });

    it("100 overlapping runs under different user()/session() scopes and per-run ids: 0 misattributions", async () => {
      const { Agent, Runner, run } = h.agents;
      const agent = new Agent({ name: "Echo", model: "fake-echo" });
      const N = 100;
      await Promise.all(
        Array.from({ length: N }, (_, i) =>
          user(`user-${i}`, () =>
            session(`session-${i}`, async () => {
              // Every third run names its own user; every fourth is streamed.
              const runner = i % 3 === 0 ? new Runner({ traceMetadata: { userId: `run-user-${i}` } }) : undefined;
              const input = `request ${i}`;
              if (i % 4 === 0) {
                const stream = await (runner
                  ? runner.run(agent, input, { stream: true })
                  : run(agent, input, { stream: true }));
                for await (const _ of stream.toStream());
                await stream.completed;
                return;
              }
              await (runner ? runner.run(agent, input) : run(agent, input));
            }),
          ),
        ),
      );
      const traces = await h.traces(N);
      expect(traces).toHaveLength(N);
      let wrong = 0;
      for (const t of traces) {
        const i = Number(/request (\d+)/.exec(JSON.stringify(t.input))?.[1]);
        const expected = { user: i % 3 === 0 ? `run-user-${i}` : `user-${i}`, session: `session-${i}` };
        const output = JSON.stringify(t.output);
        if (t.user_id !== expected.user || t.session_id !== expected.session || !output.includes(`echo: request ${i}"`))
          wrong++;
        expectSpansNest(t);
      }
      expect(wrong).toBe(0);
      expect(h.processor.openCalls).toBe(0);
    });

    it("a run inside a PandaProbe span is a span of that trace, not a trace of its own", async () => {
      const { Agent, run } = h.agents;
      const agent = new Agent({ name: "Echo", model: "fake-echo" });
      await withTrace("request", { client: h.client, userId: "u-outer" }, () =>
        withSpan("handle", { kind: "CHAIN" }, () => run(agent, "hi")),
      );
      const [t] = await h.traces(1);
      expect(t).toMatchObject({ name: "request", user_id: "u-outer" });
      expect(outline(t).slice(0, 3)).toEqual(["handle (CHAIN)", "  Agent workflow (CHAIN)", "    Echo (AGENT)"]);
      expectSpansNest(t);
    });

    it("spans started inside a tool nest under its TOOL span", async () => {
      const { Agent, run } = h.agents;
      const tool = weatherTool(h, async ({ city }) => {
        await Promise.resolve();
        return withSpan("forecast lookup", { kind: "RETRIEVER" }, async () => ({ city, sky: "sunny" }));
      });
      await run(new Agent({ name: "Weather", model: "fake-tool", tools: [tool] }), "Weather in Paris?");
      const [t] = await h.traces(1);
      expect(childNames(t, oneSpan(t, "get_weather"))).toEqual(["forecast lookup"]);
      expectSpansNest(t);
    });

    it("recordInputs/recordOutputs false: no messages, arguments or results leave the process", async () => {
      const { Agent, run } = h.agents;
      h.install({ recordInputs: false, recordOutputs: false });
      await run(new Agent({ name: "Weather", model: "fake-tool", tools: [weatherTool(h)] }), "secret question");
      const [t] = await h.traces(1);
      expect(JSON.stringify(t)).not.toMatch(/secret question|Paris|sunny/);
      expect(t.input).toBeNull();
      expect(oneSpan(t, "get_weather")).toMatchObject({ input: null, output: null });
      // Usage and models are not content: they stay.
      expect(t.spans.filter((s) => s.kind === "LLM").every((s) => s.token_usage && s.model)).toBe(true);
    });
  });
}
