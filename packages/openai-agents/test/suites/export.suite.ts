/**
 * Installation and transparency: the SDK's own export to OpenAI keeps working beside the processor
 * (`addTraceProcessor`), stops only when the user replaces the processors (`setTraceProcessors`);
 * `instrumentOpenAIAgents` registers once; what a run returns or throws is the same with and without PandaProbe.
 */
import { oneSpan, outline } from "@pandaprobe/testing";
import { describe, expect, it } from "vitest";
import { createPandaProbeProcessor, instrumentOpenAIAgents, PandaProbeProcessor } from "../../src/index.js";
import { type Harness, weatherTool } from "../support/harness.js";

/** The spans and traces the SDK's OpenAI exporter delivered to the fake ingest endpoint (of one SDK trace). */
function ingested(
  h: Harness,
  traceId?: string,
): Array<{ object: string; id: string; trace_id?: string; span_data?: any }> {
  return h.fake.ingested
    .flatMap((body) => body.data)
    .filter((i) => traceId === undefined || (i.object === "trace" ? i.id : i.trace_id) === traceId);
}

export function exportSuite(h: Harness): void {
  describe("installation and the SDK's own export", () => {
    it("beside the SDK's OpenAI exporter (addTraceProcessor), both receive the run", async () => {
      const { Agent, run, addTraceProcessor, setTraceProcessors, getGlobalTraceProvider } = h.agents;
      setTraceProcessors([h.openAIExport()]);
      const processor = createPandaProbeProcessor({ client: h.client });
      addTraceProcessor(processor);
      h.processor = processor;
      await run(new Agent({ name: "Weather", model: "fake-tool", tools: [weatherTool(h)] }), "Weather in Paris?");
      await getGlobalTraceProvider().forceFlush();
      const [t] = await h.traces(1);
      expect(oneSpan(t, "get_weather").status).toBe("OK");
      // The same SDK trace, in full, reached OpenAI's ingest (here the fake's).
      const items = ingested(h, t.metadata.framework_trace_id as string);
      expect(items.filter((i) => i.object === "trace")).toHaveLength(1);
      const types = items.filter((i) => i.object === "trace.span").map((i) => i.span_data.type);
      expect(types).toEqual(expect.arrayContaining(["agent", "response", "function"]));
      expect(types).toHaveLength(t.spans.length - 1 + (h.hasTurns ? 1 : 0)); // + the task span the root records
    });

    it("before the exporter or alone (setTraceProcessors): the same PandaProbe trace; alone, nothing goes to OpenAI", async () => {
      const { Agent, run, getGlobalTraceProvider } = h.agents;
      const agent = new Agent({ name: "Weather", model: "fake-tool", tools: [weatherTool(h)] });
      h.install({}, "before-export");
      await run(agent, "Weather in Paris?");
      await getGlobalTraceProvider().forceFlush();
      const [a] = await h.traces(1);
      expect(ingested(h, a.metadata.framework_trace_id as string).length).toBeGreaterThan(0);
      h.install({}, "alone");
      await run(agent, "Weather in Paris?");
      await getGlobalTraceProvider().forceFlush();
      const [, b] = await h.traces(2);
      expect(ingested(h, b.metadata.framework_trace_id as string)).toEqual([]);
      expect(outline(a)).toEqual(outline(b));
    });

    it("instrumentOpenAIAgents adds one processor, once: a second call returns it and nothing is recorded twice", async () => {
      const { Agent, run, setTraceProcessors } = h.agents;
      setTraceProcessors([h.openAIExport()]);
      const first = instrumentOpenAIAgents({ client: h.client });
      const second = instrumentOpenAIAgents({ client: h.client, userId: "ignored" });
      expect(first).toBeInstanceOf(PandaProbeProcessor);
      expect(second).toBe(first);
      h.processor = first;
      await run(new Agent({ name: "Echo", model: "fake-echo" }), "once");
      const traces = await h.traces(1);
      await h.client.flush();
      expect(h.standIn.traces()).toHaveLength(1);
      expect(traces[0].user_id).toBeNull();
      // Replacing the SDK's processors shuts ours down: instrumenting again then adds a new one.
      setTraceProcessors([h.openAIExport()]);
      const third = instrumentOpenAIAgents({ client: h.client });
      expect(third).not.toBe(first);
      h.processor = third;
    });

    it("what a run returns is the same with and without PandaProbe", async () => {
      const { Agent, run, setTraceProcessors } = h.agents;
      const agent = new Agent({ name: "Weather", model: "fake-tool", tools: [weatherTool(h)] });
      const traced = await run(agent, "Weather in Paris?");
      setTraceProcessors([h.openAIExport()]);
      const bare = await run(agent, "Weather in Paris?");
      expect(Object.getPrototypeOf(traced)).toBe(Object.getPrototypeOf(bare));
      expect(traced.finalOutput).toBe(bare.finalOutput);
      expect(traced.newItems.map((i: any) => i.type)).toEqual(bare.newItems.map((i: any) => i.type));
      const streamed = await run(agent, "Weather in Paris?", { stream: true });
      expect(streamed.constructor.name).toBe("StreamedRunResult");
      await streamed.completed;
      await h.traces(1);
    });

    it("hooks never throw and always resolve, whatever they are given", async () => {
      const p = createPandaProbeProcessor({ client: h.client });
      const junk: unknown[] = [
        undefined,
        null,
        {},
        { traceId: 1 },
        { traceId: "t", spanId: "s", parentId: null, spanData: null, startedAt: "nonsense", endedAt: null },
        { traceId: "t", spanId: "s2", parentId: "missing", spanData: { type: "response", _response: 5 } },
        Object.create(null),
      ];
      for (const x of junk) {
        await expect(p.onTraceStart(x as any)).resolves.toBeUndefined();
        await expect(p.onSpanStart(x as any)).resolves.toBeUndefined();
        await expect(p.onSpanEnd(x as any)).resolves.toBeUndefined();
        await expect(p.onTraceEnd(x as any)).resolves.toBeUndefined();
      }
      await expect(p.forceFlush()).resolves.toBeUndefined();
      await expect(p.shutdown(1000)).resolves.toBeUndefined();
    });
  });
}
