import type { Span } from "@pandaprobe/core";
import type { OperationInfo } from "../shared/operations.js";

/** Everything PandaProbe keeps for one AI SDK 7 call (keyed by `callId`). */
export interface V7CallState {
  lastActivity: number;
  root: Span;
  /** True when the root span created its own trace (no PandaProbe trace was active). */
  standalone: boolean;
  operationId: string;
  info: OperationInfo;
  recordInputs: boolean;
  recordOutputs: boolean;
  step?: Span;
  /** The open model call (language model or object step). */
  model?: Span;
  modelStartedAt?: number;
  tools: Map<string, Span>;
  embeds: Map<string, Span>;
}

/** Ends every open child span of a call (used on abort, error and stale sweeps). */
export function endOpenChildren(state: V7CallState, error: unknown): void {
  for (const span of state.tools.values()) span.end({ error });
  for (const span of state.embeds.values()) span.end({ error });
  state.tools.clear();
  state.embeds.clear();
  state.model?.end({ error });
  state.model = undefined;
  state.step?.end({ error });
  state.step = undefined;
}
