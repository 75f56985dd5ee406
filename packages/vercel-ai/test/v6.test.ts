import * as ai from "ai-v6";
import * as mocks from "ai-v6/test";
import { z } from "zod";
import { toMicros } from "@pandaprobe/testing";
import { describe, expect, it, vi } from "vitest";
import type { Tracer } from "@opentelemetry/api";
import { createPandaProbeIntegration, createPandaProbeTracer } from "../src/index.js";
import { defineScenarios, type CallTelemetry } from "./helpers/scenarios.js";
import { defineTracerScenarios } from "./helpers/tracer-scenarios.js";
import { childrenOf, one, startHarness, type Harness } from "./helpers/harness.js";
import { createModels } from "./helpers/models.js";

const metadataOf = (call: CallTelemetry) => {
  const metadata: Record<string, string> = {};
  if (call.userId) metadata.userId = call.userId;
  if (call.sessionId) metadata.sessionId = call.sessionId;
  if (call.traceId) metadata.traceId = call.traceId;
  return metadata;
};

const tracers = new WeakMap<Harness, Tracer>();
describe("AI SDK 6: createPandaProbeTracer", () => {
  defineScenarios({
    major: 6,
    ai,
    mocks: { ...mocks, z },
    telemetry: (h, call = {}) => {
      if (!tracers.has(h)) tracers.set(h, createPandaProbeTracer({ client: h.client }));
      return {
        experimental_telemetry: {
          isEnabled: true,
          tracer: tracers.get(h),
          metadata: metadataOf(call),
          recordInputs: call.recordInputs,
          recordOutputs: call.recordOutputs,
        },
      };
    },
  });
});

describe("AI SDK 6: createPandaProbeTracer specifics", () => {
  defineTracerScenarios({ major: 6, ai, mocks: { ...mocks, z } });
});

describe("AI SDK 6: createPandaProbeIntegration (TelemetryIntegration, one per call)", () => {
  defineScenarios({
    major: 6,
    ai,
    mocks: { ...mocks, z },
    supports: { objects: false, embeddings: false, streamTiming: false, contextNesting: false },
    telemetry: (h, call = {}) => ({
      experimental_telemetry: {
        integrations: [
          createPandaProbeIntegration({
            client: h.client,
            recordInputs: call.recordInputs,
            recordOutputs: call.recordOutputs,
          }),
        ],
        metadata: metadataOf(call),
        recordInputs: call.recordInputs,
        recordOutputs: call.recordOutputs,
      },
    }),
  });

  it("a call inside a tool, through the same integration, nests under the tool span", async () => {
    const h = await startHarness();
    try {
      const models = createModels(6, { ...mocks, z });
      const integration = createPandaProbeIntegration({ client: h.client, userId: "u-n" });
      const inner = models.objectModel();
      const weather = ai.tool({
        inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }) =>
          (
            await ai.generateText({
              model: inner,
              prompt: city,
              experimental_telemetry: { integrations: [integration] },
            })
          ).text,
      });
      await ai.generateText({
        model: models.toolModel(),
        prompt: "q",
        tools: { weather },
        stopWhen: ai.stepCountIs(3),
        experimental_telemetry: { integrations: [integration] },
      });
      const [t] = await h.collect(1);
      expect(t.user_id).toBe("u-n");
      expect(childrenOf(t, one(t, "weather")).map((s) => s.name)).toEqual(["ai.generateText"]);
      expect(h.standIn.schemaErrors()).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it("span times come from one clock: a wall clock 5 s behind never ends a model span before it starts", async () => {
    const h = await startHarness();
    const realNow = Date.now.bind(Date);
    const behind = vi.spyOn(Date, "now").mockImplementation(() => realNow() - 5000); // NTP step back, VM resume
    try {
      const models = createModels(6, { ...mocks, z });
      const weather = ai.tool({
        inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }) => ({ city, temp: 21 }),
      });
      await ai.generateText({
        model: models.toolModel("Oslo"),
        prompt: "q",
        tools: { weather },
        stopWhen: ai.stepCountIs(3),
        experimental_telemetry: { integrations: [createPandaProbeIntegration({ client: h.client })] },
      });
      behind.mockRestore();
      const [t] = await h.collect(1);
      const llms = t.spans.filter((s) => s.kind === "LLM");
      expect(llms).toHaveLength(2);
      for (const s of t.spans)
        expect(toMicros(s.ended_at!)! >= toMicros(s.started_at)!, `${s.name}: ${s.ended_at} >= ${s.started_at}`).toBe(
          true,
        );
    } finally {
      behind.mockRestore();
      await h.close();
    }
  });
});
