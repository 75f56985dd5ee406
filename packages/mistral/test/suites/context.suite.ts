/** Parenting and attribution: nesting, no leaking standalone traces, 100 overlapping calls, double wrap, disabled client. */
import { getCurrentTrace, PandaProbe, session, startSpan, startTrace, user } from "@pandaprobe/core";
import type { TraceResponse } from "@pandaprobe/testing";
import { expectSpansNest } from "@pandaprobe/testing/vitest";
import { describe, expect, it, vi } from "vitest";
import { withPandaProbe, wrapMistral } from "../../src/index.js";
import { drain, type MistralUnderTest, onlySpan, streamedText, USER_MSGS, useHarness } from "../support/harness.js";

export function contextSuite(sdk: MistralUnderTest): void {
  describe(`${sdk.label}: context`, () => {
    const h = useHarness(sdk);
    const params = { model: "mistral-small-latest", messages: USER_MSGS };

    it("inside an active span: LLM and EMBEDDING child spans (a stream too, even when read later)", async () => {
      const client = h.wrapped();
      const stream = await startTrace("agent", { client: h.pp, userId: "u-agent" }, () =>
        startSpan("plan", {}, async () => {
          await client.chat.complete(params);
          await client.embeddings.create({ model: "mistral-embed", inputs: ["a"] });
          return client.chat.stream(params);
        }),
      );
      await drain(stream);
      const [trace] = await h.traces(1);
      expect(trace).toMatchObject({ name: "agent", user_id: "u-agent" });
      const plan = trace.spans.find((s) => s.name === "plan")!;
      const chats = trace.spans.filter((s) => s.name === "mistral-chat");
      expect(chats).toHaveLength(2);
      for (const s of chats) expect(s).toMatchObject({ kind: "LLM", parent_span_id: plan.span_id, status: "OK" });
      expect(chats.some((s) => s.metadata.streamed && (s.output as any)?.messages[0].content === "It is sunny.")).toBe(
        true,
      );
      const embedding = trace.spans.find((s) => s.name === "mistral-embedding")!;
      expect(embedding).toMatchObject({ kind: "EMBEDDING", parent_span_id: plan.span_id });
      expectSpansNest(trace);
    });

    it("span times nest in every shape on core's clock, also with the wall clock 5 s behind", async () => {
      const client = h.wrapped();
      const realNow = Date.now.bind(Date);
      const behind = vi.spyOn(Date, "now").mockImplementation(() => realNow() - 5000);
      try {
        await startTrace("agent", { client: h.pp }, () =>
          startSpan("step", {}, async () => {
            await client.chat.complete(params);
            await drain(await client.chat.stream(params));
            const broken = await client.fim.stream({ model: "codestral-latest", prompt: "def f():" });
            for await (const _ of broken) break;
            await client.agents.complete({ agentId: "ag-1", messages: [USER_MSGS[1]] });
          }),
        );
        await drain(await client.chat.stream(params));
        await client.embeddings.create({ model: "mistral-embed", inputs: "a" });
      } finally {
        behind.mockRestore();
      }
      const traces = await h.traces(3);
      const agent = traces.find((t) => t.name === "agent")!;
      expect(agent.spans).toHaveLength(5);
      for (const t of traces) expectSpansNest(t);
      for (const s of agent.spans.filter((x) => x.completion_start_time)) {
        expect(Date.parse(s.completion_start_time!)).toBeGreaterThanOrEqual(Date.parse(s.started_at));
      }
    });

    it("a standalone trace never becomes current: later calls and spans get their own traces", async () => {
      const client = h.wrapped();
      const open = await client.chat.stream(params); // left open for now
      expect(getCurrentTrace()).toBeUndefined();
      await client.chat.complete(params);
      await startSpan("after", { trace: { client: h.pp } }, () => expect(getCurrentTrace()?.name).toBe("after"));
      await drain(open);
      const traces = await h.traces(3);
      expect(traces.map((t) => t.name).sort()).toEqual(["after", "mistral-chat", "mistral-chat"]);
      for (const t of traces) expect(t.spans).toHaveLength(1);
    });

    it("100 overlapping calls under different scopes and per-call ids: 0 misattributions", async () => {
      const client = h.wrapped();
      const N = 100;
      const call = async (i: number, options?: object) => {
        const q = `q${i}`;
        switch (i % 5) {
          case 0: {
            const res = await client.chat.complete(
              { ...params, messages: [{ role: "user", content: `echo:${q}` }] },
              options,
            );
            return res.choices[0].message.content;
          }
          case 1: {
            const events = await drain(
              await client.chat.stream({ ...params, messages: [{ role: "user", content: `echo:${q}` }] }, options),
            );
            return streamedText(events);
          }
          case 2: {
            const res = await client.agents.complete(
              { agentId: "ag-1", messages: [{ role: "user", content: `echo:${q}` }] },
              options,
            );
            return res.choices[0].message.content;
          }
          case 3:
            await client.fim.complete({ model: "codestral-latest", prompt: q }, options);
            return q;
          default:
            await client.embeddings.create({ model: "mistral-embed", inputs: [q] }, options);
            return q;
        }
      };
      // Three ways to say whose call it is: user()/session() scopes, per-call ids, an enclosing trace.
      const answers = await Promise.all(
        Array.from({ length: N }, (_, i) => {
          const who = { userId: `u${i}`, sessionId: `s${i}` };
          if (i % 3 === 0) return user(who.userId, () => session(who.sessionId, () => call(i)));
          if (i % 3 === 1) return user("scope-loses", () => call(i, withPandaProbe(who)));
          return startTrace(`outer-${i}`, { client: h.pp, ...who }, () => call(i));
        }),
      );
      answers.forEach((a, i) => expect(a).toBe(`q${i}`)); // every caller got its own answer
      const traces = await h.traces(N);
      expect(traces).toHaveLength(N);
      let misattributed = 0;
      const seen = new Set<number>();
      for (const t of traces) {
        const i = indexOf(t);
        seen.add(i);
        const ok =
          t.user_id === `u${i}` &&
          t.session_id === `s${i}` &&
          t.spans.length === 1 &&
          (i % 3 === 2 ? t.name === `outer-${i}` : t.name === onlySpan(t).name) &&
          (i % 5 > 2 || JSON.stringify(onlySpan(t).output).includes(`"q${i}"`));
        if (!ok) misattributed++;
      }
      expect(seen.size).toBe(N);
      expect(misattributed).toBe(0);
    });

    it("recorded off the caller's path: keeps the call's user and session, not those of the context that records it", async () => {
      const client = h.wrapped();
      const result = await user("u-call", () => session("s-call", () => client.chat.complete(params)));
      expect(result.choices[0].message.content).toBe("It is sunny.");
      await startTrace("other", { client: h.pp, userId: "u-other", sessionId: "s-other" }, () =>
        startSpan("busy", {}, () => h.pp.flush()),
      );
      const traces = await h.traces(2);
      const call = traces.find((t) => t.name === "mistral-chat")!;
      expect(call).toMatchObject({ user_id: "u-call", session_id: "s-call" });
      expect(onlySpan(call).parent_span_id ?? null).toBeNull();
      expect(traces.find((t) => t.name === "other")!.spans.map((s) => s.name)).toEqual(["busy"]);
    });

    it("wrapping twice records each call once", async () => {
      const client = h.wrapped();
      expect(wrapMistral(client, { client: h.pp, userId: "second" })).toBe(client);
      await client.chat.complete(params);
      await drain(await client.chat.stream(params));
      const traces = await h.traces(2);
      for (const t of traces) {
        onlySpan(t);
        expect(t.user_id).toBeNull();
      }
      expect(h.fake.requests).toHaveLength(2);
    });

    it("with a disabled PandaProbe client outside any trace it is a pure pass-through", async () => {
      const client = wrapMistral(h.bare(), { client: new PandaProbe({ enabled: false }) });
      expect((await client.chat.complete(params)).choices[0].message.content).toBe("It is sunny.");
      expect(streamedText(await drain(await client.chat.stream(params)))).toBe("It is sunny.");
      await h.pp.flush();
      expect(h.standIn.traces()).toEqual([]);
    });
  });
}

/** The call index a trace belongs to: the `q<i>` its input carries. */
function indexOf(t: TraceResponse): number {
  const span = t.spans[0];
  const match = /q(\d+)/.exec(JSON.stringify(span?.input));
  return match ? Number(match[1]) : -1;
}
