/**
 * `@pandaprobe/core/integration`: the integration kit. Everything an integration needs and a user does not; an
 * integration maps its framework's events onto it and owns no timers, identity rules or metadata key strings.
 * Walkthrough: INTEGRATIONS.md in this package.
 *
 * - Calls: `createIntegration(name, options)` once per object you hand the user; `integration.startCall(spec)` when
 *   the framework starts a call (root span, standalone trace, identity, content policy, stale-call sweep);
 *   `call.end(result)` when it ends (recorded off the caller's path). Children go under `call.span`.
 * - Values: `META` metadata keys, `identityFromRecord`, `normalizeTokenUsage`, `pickModelParameters`, message and
 *   value helpers.
 * - Safety: `guard` every hook; `reportError` what you catch yourself; `nowMs` for every time you pass.
 */

// Calls: the root span, identity, content policy and stale-call sweep of one framework call.
export { createIntegration } from "./integration.js";
export type { Integration } from "./integration.js";
export type { Abandoned, Call, CallEnd, CallSpec } from "./call.js";
export { DEFAULT_STALE_CALL_TIMEOUT_MS } from "./options.js";
export type { IntegrationOptions, ResolvedIntegrationOptions } from "./options.js";
export { identityFromRecord, mergeMetadata, mergeTags } from "./identity.js";
export type { CallIdentity } from "./identity.js";

// What spans record: metadata keys, usage, model parameters, messages, values.
export { META } from "./metadata-keys.js";
export type { MetaKey } from "./metadata-keys.js";
export { addTokenUsage, normalizeTokenUsage } from "./usage.js";
export { pickModelParameters } from "./model-parameters.js";
export { extractLastAssistantMessage, extractLastUserMessage, validateMessages } from "../messages.js";
export { compact, isRecord, parseJsonOrRaw, summarizeEmbeddings } from "./values.js";
export type { EmbeddingsSummary } from "./values.js";

// Per-call options (`withPandaProbe()` in the root entry).
export { readCallOptions } from "../call-options.js";

// Safety, time and context.
export { errorMessage, guard, reportInternal as reportError } from "../utils/guard.js";
export { logger } from "../utils/logger.js";
export type { LoggerSink } from "../utils/logger.js";
export { nowMs } from "../utils/time.js";
export { deferRecording } from "../api/defer.js";
export { registerContextResolver } from "../tracing/resolvers.js";
