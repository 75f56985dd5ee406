/**
 * The parts of AI SDK 7 telemetry events this package reads. Declared here (not imported from
 * `ai`) so one build serves every AI SDK major; `PandaProbeTelemetry` stays assignable to v7's
 * `Telemetry` (checked in the v7 tests).
 */
export interface V7Event {
  readonly callId: string;
  readonly recordInputs?: boolean;
  readonly recordOutputs?: boolean;
  readonly functionId?: string;
  readonly timestamp?: number;
  readonly [key: string]: unknown;
}

export interface V7ExecuteOptions<T> {
  callId: string;
  toolCallId?: string;
  execute: () => PromiseLike<T>;
  [key: string]: unknown;
}
