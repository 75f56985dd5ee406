/** Parenting and attribution: nesting, no leaking standalone traces, 100 overlapping calls, double wrap, off-path recording. */
import { getCurrentTrace, PandaProbe, session, withSpan, withTrace, user, withPandaProbe } from "@pandaprobe/core";
import { toMicros } from "@pandaprobe/testing";
import { expectSpansNest } from "@pandaprobe/testing/vitest";
import { describe, expect, it, vi } from "vitest";
import { wrapBedrock } from "../../src/index.js";
import { type BedrockUnderTest, CLAUDE, drain, json, MESSAGES, onlySpan, useHarness } from "../support/harness.js";

export function contextSuite(t: BedrockUnderTest): void {
  describe(`${t.label}: context`, () => {
    const h = useHarness(t);
    const converse = () => new t.sdk.ConverseCommand({ modelId: CLAUDE, messages: MESSAGES });
    const converseStream = () => new t.sdk.ConverseStreamCommand({ modelId: CLAUDE, messages: MESSAGES });
    const invoke = () =>
      new t.sdk.InvokeModelCommand({ modelId: CLAUDE, body: json({ messages: [{ role: "user", content: "hi" }] }) });

    it("nests under the active span as an LLM child (a stream too, even when read after the span ended)", async () => {
      const client = h.wrapped();
      const stream = await withTrace("agent", { client: h.pp, userId: "u-agent" }, () =>
        withSpan("plan", {}, async () => {
          await client.send(converse());
          await client.send(invoke());
          return client.send(converseStream());
        }),
      );
      await drain(stream.stream);
      const [trace] = await h.traces(1);
      expect(trace.name).toBe("agent");
      const plan = trace.spans.find((s) => s.name === "plan")!;
      const llm = trace.spans.filter((s) => s.kind === "LLM");
      expect(llm.map((s) => s.name).sort()).toEqual(["bedrock-converse", "bedrock-converse", "bedrock-invoke-model"]);
      for (const s of llm) expect(s).toMatchObject({ parent_span_id: plan.span_id, status: "OK" });
      expect(llm.some((s) => s.metadata.streamed && (s.output as any).messages[0].content === "It is sunny.")).toBe(
        true,
      );
      expectSpansNest(trace);
    });

    it("span times are on core's clock and nest in every shape (streams, early stops, errors), with Date.now 5 s behind", async () => {
      const client = h.wrapped();
      const realNow = Date.now.bind(Date);
      const behind = vi.spyOn(Date, "now").mockImplementation(() => realNow() - 5000); // NTP step back, VM resume
      try {
        await withTrace("agent", { client: h.pp }, () =>
          withSpan("step", {}, async () => {
            await client.send(converse());
            await drain((await client.send(converseStream())).stream);
            const broken = await client.send(converseStream());
            for await (const _ of broken.stream) break;
            await drain(
              (
                await client.send(
                  new t.sdk.InvokeModelWithResponseStreamCommand({ modelId: CLAUDE, body: json({ messages: [] }) }),
                )
              ).body,
            );
            await client
              .send(new t.sdk.ConverseCommand({ modelId: `${CLAUDE}-fail-400x1`, messages: MESSAGES }))
              .catch(() => {});
          }),
        );
        await drain((await client.send(converseStream())).stream); // standalone
      } finally {
        behind.mockRestore();
      }
      const traces = await h.traces(2);
      const agent = traces.find((x) => x.name === "agent")!;
      const step = agent.spans.find((s) => s.name === "step")!;
      const llm = agent.spans.filter((s) => s.kind === "LLM");
      expect(llm).toHaveLength(5);
      for (const s of llm) {
        expect(toMicros(s.started_at)! >= toMicros(step.started_at)!).toBe(true);
        expect(toMicros(s.ended_at!)! <= toMicros(step.ended_at!)!).toBe(true);
        if (s.completion_start_time) expect(toMicros(s.completion_start_time)! >= toMicros(s.started_at)!).toBe(true);
      }
      expect(llm.filter((s) => s.completion_start_time)).toHaveLength(2); // the broken stream stopped before any content
      for (const x of traces) expectSpansNest(x);
    });

    it("a standalone trace never becomes current: later calls and spans get their own traces", async () => {
      const client = h.wrapped();
      const open = await client.send(converseStream()); // left open for now
      expect(getCurrentTrace()).toBeUndefined();
      await client.send(converse());
      await withSpan("after", { trace: { client: h.pp } }, () => expect(getCurrentTrace()?.name).toBe("after"));
      await drain(open.stream);
      const traces = await h.traces(3);
      expect(traces.map((x) => x.name).sort()).toEqual(["after", "bedrock-converse", "bedrock-converse"]);
      for (const x of traces) expect(x.spans).toHaveLength(1);
    });

    it("100 overlapping calls of every kind under different scopes and per-call ids: 0 misattributions", async () => {
      const client = h.wrapped({ tags: ["wrapper"] });
      const N = 100;
      const ids = Array.from({ length: N }, () => crypto.randomUUID());
      const ask = (i: number) => `echo:q${i}`;
      const send = async (i: number) => {
        const text = ask(i);
        const perCall =
          i % 3 === 0
            ? withPandaProbe({
                userId: `pu${i}`,
                sessionId: `ps${i}`,
                traceId: ids[i],
                tags: [`t${i}`],
                metadata: { i },
              })
            : undefined;
        switch (i % 4) {
          case 0:
            return client.send(
              new t.sdk.ConverseCommand({ modelId: CLAUDE, messages: [{ role: "user", content: [{ text }] }] }),
              perCall,
            );
          case 1:
            return drain(
              (
                await client.send(
                  new t.sdk.ConverseStreamCommand({
                    modelId: CLAUDE,
                    messages: [{ role: "user", content: [{ text }] }],
                  }),
                  perCall,
                )
              ).stream,
            );
          case 2:
            return client.send(
              new t.sdk.InvokeModelCommand({ modelId: "meta.llama3-8b-instruct-v1:0", body: json({ prompt: text }) }),
              perCall,
            );
          default:
            return drain(
              (
                await client.send(
                  new t.sdk.InvokeModelWithResponseStreamCommand({
                    modelId: CLAUDE,
                    body: json({ messages: [{ role: "user", content: text }] }),
                  }),
                  perCall,
                )
              ).body,
            );
        }
      };
      // Every fifth call runs inside its own trace (a child span there); the others are standalone, under user()/session().
      await Promise.all(
        Array.from({ length: N }, (_, i) =>
          i % 5 === 0
            ? withTrace(`agent-${i}`, { client: h.pp, userId: `au${i}`, sessionId: `as${i}` }, () =>
                withSpan(`step-${i}`, {}, () => send(i)),
              )
            : user(`u${i}`, () => session(`s${i}`, () => send(i))),
        ),
      );
      expect(h.fake.requests).toHaveLength(N);
      const traces = await h.traces(N);
      expect(traces).toHaveLength(N);
      let misattributed = 0;
      const seen = new Set<number>();
      for (const trace of traces) {
        const llm = trace.spans.filter((s) => s.kind === "LLM");
        if (llm.length !== 1) misattributed++;
        const span = llm[0];
        const i = Number(/echo:q(\d+)/.exec(JSON.stringify(span.input))?.[1]);
        seen.add(i);
        const out = JSON.stringify(span.output);
        const nested = i % 5 === 0;
        const own = i % 3 === 0;
        const expected = {
          name: nested ? `agent-${i}` : span.name,
          user: nested ? `au${i}` : own ? `pu${i}` : `u${i}`,
          session: nested ? `as${i}` : own ? `ps${i}` : `s${i}`,
        };
        const ok =
          out.includes(`echo:q${i}"`) &&
          trace.name === expected.name &&
          trace.user_id === expected.user &&
          trace.session_id === expected.session &&
          (nested
            ? span.parent_span_id === trace.spans.find((s) => s.name === `step-${i}`)?.span_id
            : !span.parent_span_id &&
              trace.tags.includes("wrapper") &&
              (own ? trace.trace_id === ids[i] && trace.tags.includes(`t${i}`) && span.metadata.i === i : true));
        if (!ok) misattributed++;
      }
      expect(seen.size).toBe(N);
      expect(misattributed).toBe(0);
    });

    it("per-call options via send(command, withPandaProbe(...)): applied to the call; the SDK and the wire see nothing of them", async () => {
      const client = h.wrapped();
      const controller = new AbortController();
      const options = withPandaProbe(
        { userId: "u-call", sessionId: "s-call", tags: ["call"], metadata: { step: "plan" }, name: "plan-call" },
        { abortSignal: controller.signal },
      );
      const before = { ...options };
      await client.send(converse(), options);
      expect(options).toEqual(before); // the caller's object is not touched
      await h.bare().send(converse(), { abortSignal: controller.signal });
      const [wrapped, bare] = h.fake.requests;
      const strip = (headers: Record<string, unknown>) => {
        const { "amz-sdk-invocation-id": _i, "x-amz-date": _d, authorization: _a, ...rest } = headers;
        return rest;
      };
      expect(strip(wrapped.headers)).toEqual(strip(bare.headers));
      expect(wrapped.raw).toBe(bare.raw);
      const [trace] = await h.traces(1);
      expect(trace).toMatchObject({ name: "plan-call", user_id: "u-call", session_id: "s-call", tags: ["call"] });
      expect(onlySpan(trace)).toMatchObject({ name: "plan-call", metadata: expect.objectContaining({ step: "plan" }) });
    });

    it("per-call traceId and recordInputs: false; the options of one send never reach the next send of the same command", async () => {
      const client = h.wrapped();
      const traceId = crypto.randomUUID();
      const command = converse();
      await client.send(command, withPandaProbe({ traceId, recordInputs: false }));
      await client.send(command);
      const traces = await h.traces(2);
      const own = traces.find((x) => x.trace_id === traceId)!;
      const next = traces.find((x) => x.trace_id !== traceId)!;
      expect(onlySpan(own).input ?? null).toBeNull();
      expect(own.input ?? null).toBeNull();
      expect(onlySpan(own).output).toBeTruthy();
      expect(onlySpan(next).input).toBeTruthy();
    });

    it("recordOutputs: false on the wrapper keeps outputs and the model's reasoning out of every span and trace", async () => {
      const client = h.wrapped({ recordOutputs: false });
      const thinking = { additionalModelRequestFields: { thinking: { type: "enabled" } } };
      await client.send(new t.sdk.ConverseCommand({ modelId: CLAUDE, messages: MESSAGES, ...thinking }));
      await drain(
        (await client.send(new t.sdk.ConverseStreamCommand({ modelId: CLAUDE, messages: MESSAGES, ...thinking })))
          .stream,
      );
      for (const trace of await h.traces(2)) {
        const span = onlySpan(trace);
        expect(trace.output ?? null).toBeNull();
        expect(span.output ?? null).toBeNull();
        expect(span.input).toBeTruthy();
        expect(span.metadata.reasoning_summary).toBeUndefined();
        expect(span.token_usage).toBeTruthy();
      }
    });

    it("recorded off the caller's path: keeps the call's user and session, not those of the context that drains it", async () => {
      const client = h.wrapped();
      await user("u-call", () => session("s-call", () => client.send(converse())));
      await withTrace("other", { client: h.pp, userId: "u-other", sessionId: "s-other" }, () =>
        withSpan("busy", {}, () => h.pp.flush()),
      );
      const traces = await h.traces(2);
      const call = traces.find((x) => x.name === "bedrock-converse")!;
      expect(call).toMatchObject({ user_id: "u-call", session_id: "s-call" });
      expect(traces.find((x) => x.name === "other")!.spans.map((s) => s.name)).toEqual(["busy"]);
    });

    it("wrapping twice adds one middleware and records each call once", async () => {
      const client = h.wrapped();
      expect(wrapBedrock(client, { client: h.pp })).toBe(client);
      const names = client.middlewareStack.identify().filter((n: string) => n.startsWith("pandaProbe"));
      expect(names).toEqual(["pandaProbeTracingMiddleware - initialize"]);
      await client.send(converse());
      await drain((await client.send(converseStream())).stream);
      const traces = await h.traces(2);
      expect(traces).toHaveLength(2);
      for (const x of traces) onlySpan(x);
      expect(h.fake.requests).toHaveLength(2);
    });

    it("with a disabled PandaProbe client outside any trace it is a pure pass-through", async () => {
      const client = wrapBedrock(h.bare(), { client: new PandaProbe({ enabled: false }) });
      const res = await client.send(converse());
      expect(res.output.message.content[0].text).toBe("It is sunny.");
      await drain((await client.send(converseStream())).stream);
      await h.pp.flush();
      expect(h.standIn.traces()).toEqual([]);
    });
  });
}
