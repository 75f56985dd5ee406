/**
 * @pandaprobe/vercel-ai — PandaProbe traces for the Vercel AI SDK, one mechanism per major:
 *
 * - AI SDK 7: `PandaProbeTelemetry` / `createPandaProbeTelemetry` (its `Telemetry` interface).
 * - AI SDK 5 and 6: `createPandaProbeTracer` (an OpenTelemetry tracer for `experimental_telemetry`).
 *
 * Tree per call: root span (`AGENT` for text, `CHAIN` for objects, `EMBEDDING` for embeddings)
 * > `step n` (`CHAIN`) > model call (`LLM`) and tool executions (`TOOL`).
 */
export { PandaProbeTelemetry } from "./v7/pandaprobe-telemetry.js";
export { createPandaProbeTelemetry } from "./v7/create-telemetry.js";
export { createPandaProbeTracer } from "./otel/pandaprobe-tracer.js";
export type { PandaProbeAiOptions } from "./types.js";
