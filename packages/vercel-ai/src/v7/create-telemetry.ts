import type { PandaProbeAiOptions } from "../shared/options.js";
import { PandaProbeTelemetry } from "./pandaprobe-telemetry.js";

export { PandaProbeTelemetry };

/**
 * AI SDK 7 telemetry integration. Register it once (`registerTelemetry(createPandaProbeTelemetry())`)
 * or pass it per call (`telemetry: { integrations: [createPandaProbeTelemetry({ userId })] }`).
 */
export function createPandaProbeTelemetry(options: PandaProbeAiOptions = {}): PandaProbeTelemetry {
  return new PandaProbeTelemetry(options);
}
