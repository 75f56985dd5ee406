/** The options a trace reads. */
export const TRACE_KEYS = [
  "userId",
  "sessionId",
  "input",
  "metadata",
  "tags",
  "environment",
  "release",
  "traceId",
  "startTime",
] as const;

/** The options a span reads. */
export const SPAN_KEYS = [
  "kind",
  "input",
  "metadata",
  "model",
  "modelParameters",
  "startTime",
  "parent",
  "spanId",
] as const;
