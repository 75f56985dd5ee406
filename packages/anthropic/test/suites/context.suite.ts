/** Parenting and attribution: nesting, one clock, no leaking standalone traces, 200 concurrent calls, double wrap, clones. */
import { getCurrentTrace, PandaProbe, session, startSpan, startTrace, user } from "@pandaprobe/core";
import { toMicros } from "@pandaprobe/testing";
import { expectSpansNest } from "@pandaprobe/testing/vitest";
import { describe, expect, it, vi } from "vitest";
import { withPandaProbe, wrapAnthropic } from "../../src/index.js";
import {
  drain,
  MESSAGES,
  MODEL,
  onlySpan,
  SEARCH_TOOL,
  type SdkUnderTest,
  useHarness,
  WEATHER_TOOL,
} from "../support/harness.js";

export function contextSuite(sdk: SdkUnderTest): void {
  describe(`${sdk.label}: context`, () => {
    const h = useHarness(sdk);
    const params = { model: MODEL, max_tokens: 256, messages: MESSAGES };

    it("nests under the active span as an LLM child (streams too, even when consumed later)", async () => {
      const client = h.wrapped();
      const stream = await startTrace("agent", { client: h.pp, userId: "u-agent" }, () =>
        startSpan("plan", {}, async () => {
          await client.messages.create(params);
          return client.messages.create({ ...params, stream: true });
        }),
      );
      await drain(stream);
      const [trace] = await h.traces(1);
      expect(trace.name).toBe("agent");
      const plan = trace.spans.find((s) => s.name === "plan")!;
      const llm = trace.spans.filter((s) => s.name === "anthropic-messages");
      expect(llm).toHaveLength(2);
      for (const s of llm) expect(s).toMatchObject({ kind: "LLM", parent_span_id: plan.span_id, status: "OK" });
      expect(llm.some((s) => s.metadata.streamed && (s.output as any)?.messages[0].content === "It is sunny.")).toBe(
        true,
      );
    });

    it("span times nest in every shape (streams, tool spans, early stops, nested calls), with the wall clock 5 s behind", async () => {
      const client = h.wrapped();
      const realNow = Date.now.bind(Date);
      const behind = vi.spyOn(Date, "now").mockImplementation(() => realNow() - 5000); // NTP step back, VM resume
      try {
        const tools = [WEATHER_TOOL, SEARCH_TOOL];
        await client.messages.create({ ...params, tools });
        await drain(await client.messages.create({ ...params, tools, stream: true }));
        const broken = await client.messages.create({ ...params, tools, stream: true });
        for await (const event of broken) if (event.type === "content_block_delta") break;
        await startTrace("agent", { client: h.pp }, () =>
          startSpan("step", {}, async () => {
            await client.messages.create({ ...params, tools });
            await drain(await client.messages.create({ ...params, tools, stream: true }));
            await client.messages.stream(params).finalMessage();
            await client.messages.countTokens({ model: MODEL, messages: MESSAGES });
          }),
        );
      } finally {
        behind.mockRestore();
      }
      const traces = await h.traces(4);
      expect(traces.reduce((n, t) => n + t.spans.length, 0)).toBeGreaterThanOrEqual(14);
      for (const t of traces) expectSpansNest(t);
      const step = traces.find((t) => t.name === "agent")!.spans.find((s) => s.name === "step")!;
      for (const s of traces.find((t) => t.name === "agent")!.spans.filter((x) => x.parent_span_id === step.span_id)) {
        expect(toMicros(s.started_at)! >= toMicros(step.started_at)!).toBe(true);
        expect(toMicros(s.ended_at!)! <= toMicros(step.ended_at!)!).toBe(true);
        if (s.completion_start_time) expect(toMicros(s.completion_start_time)! >= toMicros(s.started_at)!).toBe(true);
      }
    });

    it("a standalone trace never becomes current: later calls and spans get their own traces", async () => {
      const client = h.wrapped();
      const open = await client.messages.create({ ...params, stream: true }); // left open for now
      expect(getCurrentTrace()).toBeUndefined();
      await client.messages.create(params);
      await startSpan("after", { trace: { client: h.pp } }, () => expect(getCurrentTrace()?.name).toBe("after"));
      await drain(open);
      const traces = await h.traces(3);
      expect(traces.map((t) => t.name).sort()).toEqual(["after", "anthropic-messages", "anthropic-messages"]);
      for (const t of traces) expect(t.spans).toHaveLength(1);
    });

    it("200 overlapping calls under different user()/session() scopes and per-call ids: 0 misattributions", async () => {
      const client = h.wrapped();
      const N = 200;
      await Promise.all(
        Array.from({ length: N }, (_, i) => {
          const p = { ...params, messages: [{ role: "user", content: `q${i}` }] };
          const own = i % 4 === 3 ? withPandaProbe({ userId: `call-u${i}`, sessionId: `call-s${i}` }) : undefined;
          return user(`u${i}`, () =>
            session(`s${i}`, async () => {
              if (i % 3 === 0) await drain(await client.messages.create({ ...p, stream: true }, own));
              else if (i % 3 === 1) await client.messages.stream(p, own).finalMessage();
              else await client.messages.create(p, own);
            }),
          );
        }),
      );
      const traces = await h.traces(N);
      expect(traces).toHaveLength(N);
      const seen = new Set<number>();
      for (const t of traces) {
        const i = Number((t.input as any).messages[0].content.slice(1));
        seen.add(i);
        const prefix = i % 4 === 3 ? "call-" : "";
        expect(t.user_id).toBe(`${prefix}u${i}`);
        expect(t.session_id).toBe(`${prefix}s${i}`);
        expect((onlySpan(t).input as any).messages[0].content).toBe(`q${i}`);
      }
      expect(seen.size).toBe(N);
    });

    it("recorded off the caller's path: keeps the call's user and session, not those of the context that drains it", async () => {
      const client = h.wrapped();
      const result = await user("u-call", () => session("s-call", () => client.messages.create(params)));
      expect(result.content[0].text).toBe("It is sunny.");
      await startTrace("other", { client: h.pp, userId: "u-other", sessionId: "s-other" }, () =>
        startSpan("busy", {}, () => h.pp.flush()),
      );
      const traces = await h.traces(2);
      const call = traces.find((t) => t.name === "anthropic-messages")!;
      expect(call).toMatchObject({ user_id: "u-call", session_id: "s-call" });
      expect(onlySpan(call).parent_span_id ?? null).toBeNull();
      expect(traces.find((t) => t.name === "other")!.spans.map((s) => s.name)).toEqual(["busy"]);
    });

    it("wrapping twice records each call once; withOptions() clones stay traced", async () => {
      const client = h.wrapped();
      expect(wrapAnthropic(client, { client: h.pp })).toBe(client);
      await client.messages.create(params);
      const clone = client.withOptions({ timeout: 5000 });
      expect(clone).not.toBe(client);
      expect(clone).toBeInstanceOf(sdk.Anthropic);
      await clone.messages.create(params);
      await clone.messages.stream(params).finalMessage();
      const traces = await h.traces(3);
      expect(traces).toHaveLength(3);
      for (const t of traces) onlySpan(t);
      expect(h.fake.requests).toHaveLength(3);
    });

    it("with a disabled PandaProbe client outside any trace it is a pure pass-through", async () => {
      const client = wrapAnthropic(h.bare(), { client: new PandaProbe({ enabled: false }) });
      const res = await client.messages.create(params);
      expect(res.content[0].text).toBe("It is sunny.");
      await drain(await client.messages.create({ ...params, stream: true }));
      await client.messages.stream(params).finalMessage();
      await h.pp.flush();
      expect(h.standIn.traces()).toEqual([]);
    });
  });
}
