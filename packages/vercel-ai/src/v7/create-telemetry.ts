import type { PandaProbeAiOptions } from "../types.js";
import { PandaProbeTelemetry } from "./pandaprobe-telemetry.js";

/**
 * AI SDK 7 telemetry integration. Register it once (`registerTelemetry(createPandaProbeTelemetry())`)
 * or pass it per call (`telemetry: { integrations: [createPandaProbeTelemetry({ userId })] }`).
 */
export function createPandaProbeTelemetry(options: PandaProbeAiOptions = {}): PandaProbeTelemetry {
  return new PandaProbeTelemetry(options);
}
