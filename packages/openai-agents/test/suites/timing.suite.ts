/**
 * Time and the end of a run: span times on the kit's clock whatever the wall clock does; span ends held back by a
 * slow processor ahead of ours keep their own times and data; a run that never ends is closed by the stale-call
 * sweep; a failed run (which the SDK never ends) is sent at once.
 */
import { oneSpan, spansNamed, toMicros } from "@pandaprobe/testing";
import { expectSpansNest, itClosesAbandonedCalls } from "@pandaprobe/testing/vitest";
import { describe, expect, it, vi } from "vitest";
import { createPandaProbeProcessor } from "../../src/index.js";
import { type Harness, weatherTool } from "../support/harness.js";

export function timingSuite(h: Harness): void {
  describe("time and the end of a run", () => {
    it("span times are on the kit's clock: a wall clock 5 s behind never puts a span outside its parent", async () => {
      const { Agent, run } = h.agents;
      const realNow = Date.now.bind(Date);
      const behind = vi.spyOn(Date, "now").mockImplementation(() => realNow() - 5000); // NTP step back, VM resume
      try {
        await run(new Agent({ name: "Weather", model: "fake-tool", tools: [weatherTool(h)] }), "Weather in Paris?");
      } finally {
        behind.mockRestore();
      }
      const [t] = await h.traces(1);
      expectSpansNest(t);
      const root = oneSpan(t, "Agent workflow");
      expect(Math.abs(toMicros(root.started_at)! / 1000 - Date.now())).toBeLessThan(4000);
    });

    it("span ends held back by a slow processor ahead of ours keep their SDK times and data", async () => {
      const { Agent, run, setTraceProcessors } = h.agents;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      // Like the SDK's OpenAI exporter exporting a full buffer inline: it holds every later processor's span end.
      const slow = {
        onTraceStart: async () => {},
        onTraceEnd: async () => {},
        onSpanStart: async () => {},
        onSpanEnd: async (span: any) => {
          if (span.spanData.type === "function" || span.spanData.type === "turn") await gate;
        },
        shutdown: async () => {},
        forceFlush: async () => {},
      };
      const processor = createPandaProbeProcessor({ client: h.client });
      h.processor = processor;
      setTraceProcessors([slow, processor]);
      h.fake.latencyAfterToolMs = 30; // the model call after the tool takes at least 30 ms
      try {
        await run(new Agent({ name: "Weather", model: "fake-tool", tools: [weatherTool(h)] }), "Weather in Paris?");
      } finally {
        h.fake.latencyAfterToolMs = 0;
      }
      const [t] = await h.traces(1); // recorded when the trace ended, although the tool's end event is still held
      release();
      const tool = oneSpan(t, "get_weather");
      expect(tool).toMatchObject({ status: "OK", output: { city: "Paris", sky: "sunny" } });
      expect(tool.metadata).not.toHaveProperty("incomplete");
      // Its end is its own (before the 30 ms model call after it), not when its event arrived or the trace ended.
      const [, second] = spansNamed(t, "response");
      expect(toMicros(second.ended_at)! - toMicros(tool.ended_at)!).toBeGreaterThan(20_000);
      expectSpansNest(t);
      await new Promise((resolve) => setImmediate(resolve));
      await h.client.flush();
      expect(h.standIn.traces()).toHaveLength(1); // the late end event added nothing
    });

    it("a failed run is sent when its top-level span fails (the SDK never ends its trace)", async () => {
      const { Agent, run } = h.agents;
      await run(new Agent({ name: "Broken", model: "fake-error" }), "hi").catch(() => {});
      expect(h.processor.openCalls).toBe(0);
      const [t] = await h.traces(1);
      expect(t.status).toBe("ERROR");
      expectSpansNest(t);
    });

    itClosesAbandonedCalls("openai-agents", {
      rootName: "Agent workflow",
      abandon: async ({ client, staleCallTimeoutMs }) => {
        const { Agent, run, setTraceProcessors } = h.agents;
        const processor = createPandaProbeProcessor({ client, staleCallTimeoutMs });
        h.processor = processor;
        setTraceProcessors([processor]);
        let entered!: () => void;
        const inTool = new Promise<void>((resolve) => (entered = resolve));
        // A tool that never returns: the run (and its trace) never ends.
        const hangs = weatherTool(h, () => {
          entered();
          return new Promise(() => {});
        });
        void run(new Agent({ name: "Weather", model: "fake-tool", tools: [hangs] }), "Weather in Paris?");
        await inTool;
        await new Promise((resolve) => setImmediate(resolve));
        expect(processor.openCalls).toBe(1);
      },
    });
  });
}
