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

// Per-call options for wrapped provider clients
export { withPandaProbe } from "./call-options.js";
export type { CallOptions } from "./call-options.js";

// Scores
export { score } from "./scores/score.js";

export { SDK_VERSION } from "./version.js";
// Helpers for integration authors are in `@pandaprobe/core/integration` (src/integration/index.ts).

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
