import { PandaProbeProcessor } from "./processor.js";
import type { OpenAIAgentsOptions } from "./types.js";

/**
 * A tracing processor for the OpenAI Agents SDK. Add it beside the SDK's own export to OpenAI with
 * `addTraceProcessor(createPandaProbeProcessor(options))`, or make it the only one (no export to OpenAI) with
 * `setTraceProcessors([createPandaProbeProcessor(options)])`.
 */
export function createPandaProbeProcessor(options: OpenAIAgentsOptions = {}): PandaProbeProcessor {
  return new PandaProbeProcessor(options);
}
