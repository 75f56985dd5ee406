import type * as AiModule from "ai-v5";
import type * as MocksModule from "ai-v5/test";
import { z } from "zod";
import { describe, expect, it, vi } from "vitest";
import { trace as otelTrace, type Tracer, type TracerProvider } from "@opentelemetry/api";
import { createPandaProbeTracer } from "../../src/index.js";
import { type Harness, startHarness } from "@pandaprobe/testing/vitest";
import { createModels } from "../support/models.js";
import { defineScenarios, type CallTelemetry } from "./scenarios.js";
import { defineTracerScenarios } from "./tracer-scenarios.js";

/** The AI SDK 5 behaviour suite, for the `ai` module given (the newest 5.x, or the floor). */
export function ai5Suite(ai: typeof AiModule, mocks: typeof MocksModule, label = "AI SDK 5"): void {
  const tracers = new WeakMap<Harness, Tracer>();
  const telemetry = (h: Harness, call: CallTelemetry = {}) => {
    if (!tracers.has(h)) tracers.set(h, createPandaProbeTracer({ client: h.client }));
    const metadata: Record<string, string> = {};
    if (call.userId) metadata.userId = call.userId;
    if (call.sessionId) metadata.sessionId = call.sessionId;
    if (call.traceId) metadata.traceId = call.traceId;
    return {
      experimental_telemetry: {
        isEnabled: true,
        tracer: tracers.get(h),
        metadata,
        recordInputs: call.recordInputs,
        recordOutputs: call.recordOutputs,
      },
    };
  };

  describe(`${label}: createPandaProbeTracer`, () => {
    defineScenarios({ major: 5, ai, mocks: { ...mocks, z }, telemetry });
  });

  describe(`${label}: createPandaProbeTracer specifics`, () => {
    defineTracerScenarios({ major: 5, ai, mocks: { ...mocks, z } });
  });

  describe(`${label}: OpenTelemetry coexistence`, () => {
    it("registers no global OTel provider and leaves the app's provider untouched", async () => {
      const appSpans: string[] = [];
      const appTracer = {
        startSpan: (name: string) => (appSpans.push(name), undefined),
        startActiveSpan: (name: string) => appSpans.push(name),
      } as unknown as Tracer;
      const provider: TracerProvider = { getTracer: () => appTracer };
      expect(otelTrace.setGlobalTracerProvider(provider)).toBe(true);
      const h = await startHarness();
      try {
        const models = createModels(5, { ...mocks, z });
        const tracer = createPandaProbeTracer({ client: h.client, tags: ["otel"] });
        await ai.generateText({
          model: models.objectModel(),
          prompt: "hi",
          experimental_telemetry: { isEnabled: true, tracer },
        });
        const [t] = await h.collect(1);
        expect(t.tags).toEqual(["otel"]);
        expect(appSpans).toEqual([]);
        expect(otelTrace.getTracerProvider()).not.toBe(undefined);
        expect(otelTrace.getTracer("x")).toBe(appTracer);
      } finally {
        otelTrace.disable();
        await h.close();
      }
    });

    it("a stream cancelled without an abort signal is closed by the stale-call sweep", async () => {
      const h = await startHarness();
      try {
        const models = createModels(5, { ...mocks, z });
        vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
        try {
          const tracer = createPandaProbeTracer({ client: h.client, staleCallTimeoutMs: 60_000 });
          const result = ai.streamText({
            model: models.hangingStreamModel(),
            prompt: "x",
            experimental_telemetry: { isEnabled: true, tracer },
          });
          const reader = result.textStream.getReader();
          await reader.read();
          await reader.cancel();
          vi.advanceTimersByTime(2 * 60_000);
        } finally {
          vi.useRealTimers();
        }
        const [t] = await h.collect(1);
        expect(t.status).toBe("ERROR");
        expect(t.spans.every((s) => s.ended_at)).toBe(true);
        expect(h.standIn.schemaErrors()).toEqual([]);
      } finally {
        await h.close();
      }
    });
  });
}
