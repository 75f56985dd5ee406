/** Public option types of `@pandaprobe/vercel-ai`. */
import type { IntegrationOptions } from "@pandaprobe/core/integration";

/**
 * Options of every PandaProbe AI SDK entry point: the options of every PandaProbe integration (`userId`,
 * `sessionId`, `tags`, `metadata`, `client`, `recordInputs`, `recordOutputs`, `staleCallTimeoutMs`). A call's own
 * `userId`/`sessionId`/`traceId`/`tags` (AI SDK 7 `runtimeContext`, AI SDK 5/6 `experimental_telemetry.metadata`)
 * win over them; its other keys are metadata.
 */
export interface PandaProbeAiOptions extends IntegrationOptions {}
