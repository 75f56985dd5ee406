import type * as AiModule from "ai";
import type * as MocksModule from "ai/test";
import { z } from "zod";
import { describe, expect, it, vi } from "vitest";
import { PandaProbeTelemetry, createPandaProbeTelemetry } from "../../src/index.js";
import { childrenOf, spansNamed } from "@pandaprobe/testing";
import { type Harness, itClosesAbandonedCalls, startHarness } from "@pandaprobe/testing/vitest";
import { createModels } from "../support/models.js";
import { defineScenarios, type CallTelemetry } from "./scenarios.js";

/** The AI SDK 7 behaviour suite, for the `ai` module given (the newest 7.x, or the floor). */
export function ai7Suite(ai: typeof AiModule, mocks: typeof MocksModule, label = "AI SDK 7"): void {
  // Type check: our class is an AI SDK 7 `Telemetry`.
  const _typeCheck: AiModule.Telemetry = new PandaProbeTelemetry();
  void _typeCheck;

  const integrations = new WeakMap<Harness, PandaProbeTelemetry>();
  const integrationFor = (h: Harness) => {
    if (!integrations.has(h)) integrations.set(h, createPandaProbeTelemetry({ client: h.client }));
    return integrations.get(h)!;
  };
  const telemetry = (h: Harness, call: CallTelemetry = {}) => {
    const runtimeContext: Record<string, string> = {};
    if (call.userId) runtimeContext.userId = call.userId;
    if (call.sessionId) runtimeContext.sessionId = call.sessionId;
    if (call.traceId) runtimeContext.traceId = call.traceId;
    return {
      runtimeContext,
      telemetry: {
        integrations: [integrationFor(h)],
        includeRuntimeContext: { userId: true, sessionId: true, traceId: true },
        recordInputs: call.recordInputs,
        recordOutputs: call.recordOutputs,
      },
    };
  };

  let current: Harness | undefined;
  describe(`${label}: PandaProbeTelemetry`, () => {
    defineScenarios({
      major: 7,
      ai,
      mocks: { ...mocks, z },
      telemetry: (h, call) => ((current = h), telemetry(h, call)),
      openCalls: () => (current ? integrationFor(current).openCalls : 0),
    });
  });

  describe(`${label}: global registration`, () => {
    it("registerTelemetry(...) records calls without per-call options; double registration records once", async () => {
      const h = await startHarness();
      const integration = createPandaProbeTelemetry({
        client: h.client,
        userId: "u-global",
        sessionId: "s-global",
        tags: ["v7"],
        metadata: { app: "test" },
      });
      const before = globalThis.AI_SDK_TELEMETRY_INTEGRATIONS;
      try {
        ai.registerTelemetry(integration, integration);
        const models = createModels(7, { ...mocks, z });
        await ai.generateText({ model: models.objectModel(), prompt: "hi" });
        await ai.generateText({
          model: models.objectModel(),
          prompt: "hi",
          runtimeContext: { userId: "u-call" },
          telemetry: { includeRuntimeContext: { userId: true } },
        });
        const [a, b] = await h.collect(2);
        expect(a).toMatchObject({
          user_id: "u-global",
          session_id: "s-global",
          tags: ["v7"],
          metadata: expect.objectContaining({ app: "test" }),
        });
        expect(a.spans).toHaveLength(3);
        expect(b).toMatchObject({ user_id: "u-call", session_id: "s-global" });
        expect(integration.openCalls).toBe(0);
        expect(h.standIn.schemaErrors()).toEqual([]);
      } finally {
        globalThis.AI_SDK_TELEMETRY_INTEGRATIONS = before;
        await h.close();
      }
    });

    it("a stream cancelled without an abort signal is closed by the stale-call sweep", async () => {
      const h = await startHarness();
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
      try {
        const integration = createPandaProbeTelemetry({ client: h.client, staleCallTimeoutMs: 60_000 });
        const models = createModels(7, { ...mocks, z });
        const result = ai.streamText({
          model: models.hangingStreamModel(),
          prompt: "x",
          telemetry: { integrations: [integration] },
        });
        const reader = result.textStream.getReader();
        await reader.read();
        await reader.cancel();
        expect(integration.openCalls).toBe(1);
        vi.advanceTimersByTime(2 * 60_000);
        vi.useRealTimers();
        const [t] = await h.collect(1);
        expect(t.status).toBe("ERROR");
        expect(t.spans.every((s) => s.ended_at)).toBe(true);
        expect(integration.openCalls).toBe(0);
      } finally {
        vi.useRealTimers();
        await h.close();
      }
    });

    itClosesAbandonedCalls(`${label} Telemetry: a stream cancelled without an abort signal`, {
      rootName: "ai.streamText",
      abandon: async ({ client, staleCallTimeoutMs }) => {
        const result = ai.streamText({
          model: createModels(7, { ...mocks, z }).hangingStreamModel(),
          prompt: "x",
          telemetry: { integrations: [createPandaProbeTelemetry({ client, staleCallTimeoutMs })] },
        });
        const reader = result.textStream.getReader();
        await reader.read();
        await reader.cancel();
      },
    });
  });

  describe(`${label}: steps (derived from model calls; the SDK's step events are not subscribed to)`, () => {
    for (const mode of ["generateText", "streamText"] as const) {
      it(`${mode}: each step holds its model call and tools, ends after them, and carries their output`, async () => {
        const h = await startHarness();
        try {
          const models = createModels(7, { ...mocks, z });
          const weather = ai.tool({
            inputSchema: z.object({ city: z.string() }),
            execute: async ({ city }: { city: string }) => ({ city }),
          });
          const args = {
            model: models.toolModel(),
            prompt: "weather?",
            tools: { weather },
            stopWhen: ai.isStepCount(3),
            telemetry: { integrations: [createPandaProbeTelemetry({ client: h.client })] },
          };
          if (mode === "generateText") await ai.generateText(args);
          else await ai.streamText(args).consumeStream();
          const [t] = await h.collect(1);
          const steps = spansNamed(t, "step 0").concat(spansNamed(t, "step 1"));
          expect(steps).toHaveLength(2);
          const llm = (s: (typeof steps)[number]) => childrenOf(t, s).find((c) => c.kind === "LLM")!;
          expect(steps[0].output).toEqual(llm(steps[0]).output);
          expect(steps[0].output).toMatchObject({
            messages: [{ role: "assistant", tool_calls: [{ function: { name: "weather" } }] }],
          });
          expect(steps[0].metadata).toMatchObject({ finish_reason: "tool-calls" });
          expect(steps[1].output).toMatchObject({
            messages: [{ role: "assistant", content: mode === "generateText" ? "It is sunny." : "Hello" }],
          });
          expect(steps[1].metadata).toMatchObject({ finish_reason: "stop" });
          for (const step of steps) {
            expect(step.status).toBe("OK");
            for (const child of childrenOf(t, step))
              expect(Date.parse(child.ended_at!)).toBeLessThanOrEqual(Date.parse(step.ended_at!));
          }
          expect(Date.parse(steps[0].ended_at!)).toBeLessThanOrEqual(Date.parse(steps[1].started_at));
          expect(h.standIn.schemaErrors()).toEqual([]);
        } finally {
          await h.close();
        }
      });
    }
  });
}
