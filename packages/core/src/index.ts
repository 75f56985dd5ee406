// Client and configuration
export { PandaProbe } from "./client/client.js";
export { init, getClient, flush, shutdown } from "./client/global.js";
export type {
  MaskFunction,
  MaskTarget,
  PandaProbeOptions,
  ResolvedConfig,
  Sampler,
  SamplingInfo,
} from "./config/options.js";
export { COMMON_SECRET_PATTERNS, redactStrings } from "./serialize/redact.js";

// User and session context
export { user, session, setUser, setSession, getCurrentUserId, getCurrentSessionId } from "./context/user-session.js";

// Traces and spans: `with*` runs a callback with the trace or span current; `start*` returns one you end yourself
export { startTrace, withTrace } from "./api/trace.js";
export { startSpan, withSpan, withActiveSpan, startInactiveSpan } from "./api/span.js";
export { trace, span } from "./api/trace-fn.js";
export type { TraceFnOptions, SpanFnOptions, MethodDecorator, MethodDecoratorContext } from "./api/trace-fn.js";
export { getCurrentTrace, getCurrentSpan, getCurrentContext } from "./tracing/current.js";
export type { CurrentContext } from "./tracing/current.js";

// Per-call options for wrapped provider clients
export { withPandaProbe } from "./call-options.js";
export type { CallOptions } from "./call-options.js";

// Scores
export { score } from "./api/score.js";

// Serverless: delivery registered with the platform's waitUntil, and handler wrappers (see README "Serverless")
export { withWaitUntil } from "./serverless/with-wait-until.js";
export { wrapWorker } from "./serverless/cloudflare.js";
export type { WorkerOptions } from "./serverless/cloudflare.js";
export { wrapLambda } from "./serverless/lambda.js";
export type { LambdaOptions } from "./serverless/lambda.js";
export type { AsyncLocalStorageClass, WaitUntil } from "./types.js";

export { SDK_VERSION } from "./version.js";
// Helpers for integration authors are in `@pandaprobe/core/integration` (src/integration/index.ts).

export type {
  ActiveSpanOptions,
  ScoreArgsOptions,
  ScoreOptions,
  StartSpanOptions,
  TraceOptions,
} from "./api/options.js";
export { SpanKind, SpanStatus, TraceStatus, ScoreDataType } from "./types.js";
export type {
  TokenUsage,
  Cost,
  TimeInput,
  BaseTraceOptions,
  BaseScoreOptions,
  ScoreExtras,
  SpanOptions,
  TraceEndOptions,
  SpanEndOptions,
  Trace,
  Span,
  DropReason,
  FlushResult,
  TransportStats,
  PandaProbeErrorInfo,
} from "./types.js";
