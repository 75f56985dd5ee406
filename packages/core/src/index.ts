// Client and configuration
export { PandaProbe } from "./client/client.js";
export { init, getClient, flush, shutdown } from "./client/global.js";
export type { MaskFunction, MaskTarget, PandaProbeOptions, ResolvedConfig } from "./config/options.js";
export { COMMON_SECRET_PATTERNS, redactStrings } from "./serialize/redact.js";

// User and session context
export { user, session, setUser, setSession, getCurrentUserId, getCurrentSessionId } from "./context/user-session.js";

// Traces and spans
export {
  startTrace,
  startSpan,
  startInactiveSpan,
  withSpan,
  getCurrentTrace,
  getCurrentSpan,
  getCurrentContext,
} from "./tracing/start.js";
export type { CurrentContext } from "./tracing/start.js";
export { trace } from "./tracing/trace-fn.js";
export type { TraceFnOptions } from "./tracing/trace-fn.js";
export { registerContextResolver } from "./tracing/resolvers.js";
export { deferRecording } from "./tracing/finalizer.js";

// Scores
export { score } from "./scores/score.js";

// Messages convention and helpers for integration authors
export { extractLastUserMessage, extractLastAssistantMessage, validateMessages } from "./messages.js";
export { normalizeTokenUsage } from "./utils/normalize-usage.js";
export { pickModelParameters } from "./utils/model-parameters.js";
export { guard } from "./utils/guard.js";
export { logger } from "./utils/logger.js";
export type { LoggerSink } from "./utils/logger.js";
export { SDK_VERSION } from "./version.js";
export { nowMs } from "./utils/time.js";

export type {
  SpanKind,
  SpanStatus,
  TraceStatus,
  ScoreDataType,
  TokenUsage,
  Cost,
  TimeInput,
  TraceOptions,
  SpanOptions,
  ActiveSpanOptions,
  Trace,
  Span,
  DropReason,
  FlushResult,
  TransportStats,
  PandaProbeErrorInfo,
  ScoreOptions,
} from "./types.js";
