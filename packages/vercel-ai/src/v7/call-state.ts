import type { Span } from "@pandaprobe/core";
import { META } from "@pandaprobe/core/integration";
import type { OperationInfo } from "../extract/operations.js";

/** What PandaProbe keeps for one AI SDK 7 call besides its kit call (which is keyed by `callId`). */
export interface V7CallState {
  operationId: string;
  info: OperationInfo;
  /** Number of steps started (the next step's number). */
  steps: number;
  /**
   * The open step. It starts with its model call and ends at the next model call or at the end
   * of the call (the AI SDK's own step events are not subscribed to: every event costs a dispatch).
   */
  step?: Span;
  /** The step's output and finish reason (its model call's), and when its last child ended. */
  stepOutput?: unknown;
  stepFinish?: unknown;
  stepEndAt?: number;
  /** The open model call (language model or object step). */
  model?: Span;
  modelStartedAt?: number;
  /** Open tool and embedding spans by id (created on first use). */
  tools?: Map<string, Span>;
  embeds?: Map<string, Span>;
}

/** Ends the open step with its model call's output (its children are done). */
export function endStep(state: V7CallState): void {
  const step = state.step;
  if (!step) return;
  state.step = undefined;
  if (state.stepFinish) step.setMetadata({ [META.FINISH_REASON]: state.stepFinish });
  step.end({ output: state.stepOutput, endTime: state.stepEndAt });
  state.stepOutput = state.stepFinish = state.stepEndAt = undefined;
}

/**
 * Ends every open child span of a call (on end, abort, error and abandon). Open tools,
 * embeddings and model calls end with `error`; the step too if it was still running, otherwise
 * it ends normally.
 */
export function endOpenChildren(state: V7CallState, error: unknown): void {
  let busy = state.model !== undefined || state.stepEndAt === undefined;
  if (state.tools) {
    for (const span of state.tools.values()) {
      span.end({ error });
      busy = true;
    }
    state.tools.clear();
  }
  if (state.embeds) {
    for (const span of state.embeds.values()) span.end({ error });
    state.embeds.clear();
  }
  state.model?.end({ error });
  state.model = undefined;
  if (!state.step) return;
  if (busy) {
    state.step.end({ error });
    state.step = undefined;
  } else endStep(state);
}
