import type * as AiModule from "ai-v6";
import type * as MocksModule from "ai-v6/test";
import { z } from "zod";
import { describe } from "vitest";
import type { Tracer } from "@opentelemetry/api";
import type { Harness } from "@pandaprobe/testing/vitest";
import { createPandaProbeTracer } from "../../src/index.js";
import { defineScenarios, type CallTelemetry } from "./scenarios.js";
import { defineTracerScenarios } from "./tracer-scenarios.js";

/** The AI SDK 6 behaviour suite, for the `ai` module given (the newest 6.x, or the floor). */
export function ai6Suite(ai: typeof AiModule, mocks: typeof MocksModule, label = "AI SDK 6"): void {
  const metadataOf = (call: CallTelemetry) => {
    const metadata: Record<string, string> = {};
    if (call.userId) metadata.userId = call.userId;
    if (call.sessionId) metadata.sessionId = call.sessionId;
    if (call.traceId) metadata.traceId = call.traceId;
    return metadata;
  };

  const tracers = new WeakMap<Harness, Tracer>();
  describe(`${label}: createPandaProbeTracer`, () => {
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

  describe(`${label}: createPandaProbeTracer specifics`, () => {
    defineTracerScenarios({ major: 6, ai, mocks: { ...mocks, z } });
  });
}
