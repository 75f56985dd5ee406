/**
 * @pandaprobe/vercel-ai — PandaProbe traces for the Vercel AI SDK.
 *
 * - AI SDK 7: `PandaProbeTelemetry` / `createPandaProbeTelemetry` (a `Telemetry` integration).
 * - AI SDK 6 (6.0.111+): `createPandaProbeIntegration` (a `TelemetryIntegration`).
 * - AI SDK 5 and 6: `createPandaProbeTracer` (an OpenTelemetry tracer for `experimental_telemetry`).
 *
 * Tree per call: root span (`AGENT` for text, `CHAIN` for objects, `EMBEDDING` for embeddings)
 * > `step n` (`CHAIN`) > model call (`LLM`) and tool executions (`TOOL`).
 */
export { PandaProbeTelemetry, createPandaProbeTelemetry } from "./v7/create-telemetry.js";
export { createPandaProbeIntegration } from "./v6/pandaprobe-integration.js";
export type { PandaProbeIntegration } from "./v6/pandaprobe-integration.js";
export { createPandaProbeTracer } from "./otel/pandaprobe-tracer.js";
export type { PandaProbeAiOptions } from "./shared/options.js";
