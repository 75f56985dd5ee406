/** `@pandaprobe/testing`: a faithful local PandaProbe backend stand-in and test helpers. */
export { startStandIn, StandIn } from "./server.js";
export { createTestClient } from "./test-client.js";
export { formatTraceTree } from "./format-tree.js";
/** What the fake provider servers of the packages' tests share, and reading a stream to its end. */
export { drain, preciseDelay, scriptedFailure } from "./fake-provider.js";
export {
  childNames,
  childrenOf,
  oneSpan,
  onlySpan,
  outline,
  rootSpan,
  spansNamed,
  spanTimeProblems,
} from "./span-queries.js";
/** Epoch microseconds of a stored timestamp: compare span times exactly (`Date.parse` rounds to the millisecond). */
export { toMicros } from "./datetime.js";
export type { FaultControls, FaultMatch, FaultStatus, FailOptions } from "./faults.js";
export type {
  ApiKeySpec,
  FieldError,
  QuotaOptions,
  RateLimitOptions,
  RecordedRequest,
  SchemaErrorReport,
  SpanResponse,
  StandInOptions,
  TraceResponse,
  TraceScoreResponse,
  WaitForRequestsOptions,
  WaitForTracesOptions,
} from "./types.js";
