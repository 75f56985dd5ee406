/** `@pandaprobe/testing`: a faithful local PandaProbe backend stand-in and test helpers. */
export { startStandIn, StandIn } from "./server.js";
export { createTestClient } from "./test-client.js";
export { formatTraceTree } from "./format-tree.js";
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
