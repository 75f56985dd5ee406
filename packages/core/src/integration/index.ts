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
 * - Wrapped provider clients: `wrapOnce`/`patchMethod`/`wrapClones` (the wrapper's scaffolding), `ModelCall` and
 *   `startModelCall` (one model call: request, result, usage, errors, streams), `tracedMethod` (the replaced SDK
 *   method), `observePromise`/`observeOwnPromise`/`observeApiPromise` (what the
 *   SDK returned), `observeIterable`/`observeIterator`
 *   (streams, observed in place).
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
export { compact, isLoose, isRecord, parseJsonOrRaw, summarizeEmbeddings } from "./values.js";
export type { AnyFn, EmbeddingsSummary, Loose } from "./values.js";
export {
  collapseTextContent,
  reasoningSummary,
  reasoningText,
  responsesInputMessages,
  responsesOutputMessages,
} from "./responses-messages.js";
export type { ResponsesMessage } from "./responses-messages.js";

// Wrapped provider clients: the wrapper's scaffolding, one model call, what the SDK returns, streams.
export { patchMethod, setMethod, wrapClones, wrapOnce } from "./patch.js";
export { ModelCall, startModelCall } from "./model-call.js";
export type { ModelResult, StreamAccumulator } from "./model-call.js";
export { observeOwnPromise, observePromise, tracedMethod } from "./traced-method.js";
export type { TracedMethod } from "./traced-method.js";
export { ApiPromiseCall, observeApiPromise, requestIdMetadata } from "./api-promise.js";
export { observeIterable, observeIterator, observeIteratorMethods, StreamObservation } from "./observe-stream.js";

// Per-call options (`withPandaProbe()` in the root entry).
export { readCallOptions } from "../call-options.js";

// Safety, time and context.
export { errorMessage, guard, reportInternal as reportError } from "../utils/guard.js";
export { logger } from "../utils/logger.js";
export type { LoggerSink } from "../utils/logger.js";
export { nowMs } from "../utils/time.js";
export { deferRecording } from "../api/defer.js";
export { registerContextResolver } from "../tracing/resolvers.js";
