import * as ai from "ai-v6";
import * as mocks from "ai-v6/test";
import { z } from "zod";
import { describe } from "vitest";
import type { Tracer } from "@opentelemetry/api";
import type { Harness } from "@pandaprobe/testing/vitest";
import { createPandaProbeTracer } from "../src/index.js";
import { defineScenarios, type CallTelemetry } from "./suites/scenarios.js";
import { defineTracerScenarios } from "./suites/tracer-scenarios.js";

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
