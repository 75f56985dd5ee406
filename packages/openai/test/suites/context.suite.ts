/** Parenting and attribution: nesting, no leaking standalone traces, concurrency, double wrap, clones. */
import { getCurrentTrace, PandaProbe, session, startSpan, startTrace, user } from "@pandaprobe/core";
import { toMicros } from "@pandaprobe/testing";
import { expectSpansNest } from "@pandaprobe/testing/vitest";
import { describe, expect, it, vi } from "vitest";
import { wrapOpenAI } from "../../src/index.js";
import { drain, onlySpan, USER_MSGS, useHarness, type OpenAIUnderTest } from "../support/harness.js";

export function contextSuite(sdk: OpenAIUnderTest): void {
  describe(`${sdk.label}: context`, () => {
    const h = useHarness(sdk);
    const params = { model: "gpt-4o-mini", messages: USER_MSGS };

    it("nests under the active span as an LLM child (streams too, even when consumed later)", async () => {
      const client = h.wrapped();
      const stream = await startTrace("agent", { client: h.pp, userId: "u-agent" }, () =>
        startSpan("plan", {}, async () => {
          await client.chat.completions.create(params);
          return client.chat.completions.create({ ...params, stream: true });
        }),
      );
      await drain(stream);
      const [trace] = await h.traces(1);
      expect(trace.name).toBe("agent");
      const plan = trace.spans.find((s) => s.name === "plan")!;
      const llm = trace.spans.filter((s) => s.name === "openai-chat");
      expect(llm).toHaveLength(2);
      for (const s of llm) expect(s).toMatchObject({ kind: "LLM", parent_span_id: plan.span_id, status: "OK" });
      expect(llm.some((s) => (s.output as any)?.messages[0].content === "It is sunny." && s.metadata.streamed)).toBe(
        true,
      );
    });

    it("span times are on core's clock: a wall clock 5 s behind never puts a call (or its first token) outside its parent", async () => {
      const client = h.wrapped();
      const realNow = Date.now.bind(Date);
      const behind = vi.spyOn(Date, "now").mockImplementation(() => realNow() - 5000); // NTP step back, VM resume
      try {
        await startTrace("agent", { client: h.pp }, () =>
          startSpan("step", {}, async () => {
            await client.chat.completions.create(params);
            await drain(await client.chat.completions.create({ ...params, stream: true }));
          }),
        );
      } finally {
        behind.mockRestore();
      }
      const [trace] = await h.traces(1);
      const step = trace.spans.find((s) => s.name === "step")!;
      const llm = trace.spans.filter((s) => s.name === "openai-chat");
      expect(llm).toHaveLength(2);
      for (const s of llm) {
        expect(toMicros(s.started_at)! >= toMicros(step.started_at)!, `${s.started_at} >= ${step.started_at}`).toBe(
          true,
        );
        expect(toMicros(s.ended_at!)! <= toMicros(step.ended_at!)!, `${s.ended_at} <= ${step.ended_at}`).toBe(true);
        if (s.completion_start_time) expect(toMicros(s.completion_start_time)! >= toMicros(s.started_at)!).toBe(true);
      }
      expect(llm.some((s) => s.completion_start_time)).toBe(true);
    });

    it("span times nest in every shape (streams, tool items, early stops, nested calls), on one clock", async () => {
      const client = h.wrapped();
      const tool = { type: "function", name: "get_weather", parameters: { type: "object", properties: {} } };
      const realNow = Date.now.bind(Date);
      const behind = vi.spyOn(Date, "now").mockImplementation(() => realNow() - 5000);
      try {
        await client.responses.create({ model: "gpt-5", input: "weather?", tools: [tool] });
        await drain(await client.responses.create({ model: "gpt-5", input: "weather?", tools: [tool], stream: true }));
        const broken = await client.responses.create({
          model: "gpt-5",
          input: "weather?",
          tools: [tool],
          stream: true,
        });
        for await (const event of broken) if (event.type === "response.function_call_arguments.delta") break;
        await startTrace("agent", { client: h.pp }, () =>
          startSpan("step", {}, async () => {
            await client.chat.completions.create(params);
            await drain(await client.chat.completions.create({ ...params, stream: true }));
            await client.embeddings.create({ model: "text-embedding-3-small", input: ["a", "b"] });
          }),
        );
      } finally {
        behind.mockRestore();
      }
      const traces = await h.traces(4);
      expect(traces.reduce((n, t) => n + t.spans.length, 0)).toBeGreaterThanOrEqual(10);
      for (const t of traces) expectSpansNest(t);
    });

    it("a standalone trace never becomes current: later calls and spans get their own traces", async () => {
      const client = h.wrapped();
      const open = await client.chat.completions.create({ ...params, stream: true }); // left open for now
      expect(getCurrentTrace()).toBeUndefined();
      await client.chat.completions.create(params);
      await startSpan("after", { trace: { client: h.pp } }, () => expect(getCurrentTrace()?.name).toBe("after"));
      await drain(open);
      const traces = await h.traces(3);
      expect(traces.map((t) => t.name).sort()).toEqual(["after", "openai-chat", "openai-chat"]);
      for (const t of traces) expect(t.spans).toHaveLength(1);
    });

    it("concurrent calls keep their own user and session", async () => {
      const client = h.wrapped();
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          user(`u${i}`, () =>
            session(`s${i}`, async () => {
              if (i % 2)
                await drain(
                  await client.chat.completions.create({
                    ...params,
                    stream: true,
                    messages: [{ role: "user", content: `q${i}` }],
                  }),
                );
              else await client.chat.completions.create({ ...params, messages: [{ role: "user", content: `q${i}` }] });
            }),
          ),
        ),
      );
      const traces = await h.traces(12);
      expect(traces).toHaveLength(12);
      for (const t of traces) {
        const i = (t.input as any).messages[0].content.slice(1);
        expect(t.user_id).toBe(`u${i}`);
        expect(t.session_id).toBe(`s${i}`);
      }
    });

    it("recorded off the caller's path: keeps the call's user and session, not those of the context that drains it", async () => {
      const client = h.wrapped();
      const result = await user("u-call", () => session("s-call", () => client.chat.completions.create(params)));
      expect(result.choices[0].message.content).toBe("It is sunny.");
      // The call is recorded on the next turn; drain it now from inside another user's trace and span instead.
      await startTrace("other", { client: h.pp, userId: "u-other", sessionId: "s-other" }, () =>
        startSpan("busy", {}, () => h.pp.flush()),
      );
      const traces = await h.traces(2);
      const call = traces.find((t) => t.name === "openai-chat")!;
      expect(call).toMatchObject({ user_id: "u-call", session_id: "s-call" });
      expect(onlySpan(call).parent_span_id ?? null).toBeNull();
      expect(traces.find((t) => t.name === "other")!.spans.map((s) => s.name)).toEqual(["busy"]);
    });

    it("wrapping twice records each call once; withOptions() clones stay traced", async () => {
      const client = h.wrapped();
      expect(wrapOpenAI(client, { client: h.pp })).toBe(client);
      await client.chat.completions.create(params);
      let expected = 1;
      if (typeof client.withOptions === "function") {
        const clone = client.withOptions({ timeout: 5000 });
        expect(clone).not.toBe(client);
        await clone.chat.completions.create(params);
        expected = 2;
      }
      const traces = await h.traces(expected);
      expect(traces).toHaveLength(expected);
      for (const t of traces) onlySpan(t);
      expect(h.fake.requests).toHaveLength(expected);
    });

    it("with a disabled PandaProbe client outside any trace it is a pure pass-through", async () => {
      const disabled = new PandaProbe({ enabled: false });
      const client = wrapOpenAI(h.bare(), { client: disabled });
      const res = await client.chat.completions.create(params);
      expect(res.choices[0].message.content).toBe("It is sunny.");
      await drain(await client.chat.completions.create({ ...params, stream: true }));
      await h.pp.flush();
      expect(h.standIn.traces()).toEqual([]);
    });
  });
}
