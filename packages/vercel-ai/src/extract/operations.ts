import type { SpanKind } from "@pandaprobe/core";

/** What an AI SDK operation id (`ai.generateText`, `ai.embedMany`, ...) is. */
export interface OperationInfo {
  /** Kind of the call's root span. */
  kind: SpanKind;
  /** Text calls (generateText/streamText) group model and tool calls into steps. */
  hasSteps: boolean;
  isEmbedding: boolean;
  isObject: boolean;
  isStream: boolean;
}

const infos = new Map<string, OperationInfo>();

/** Cached per operation id (a handful of values): the result is shared, never mutate it. */
export function operationInfo(operationId: string): OperationInfo {
  let info = infos.get(operationId);
  if (!info) {
    info = computeInfo(operationId);
    if (infos.size < 64) infos.set(operationId, info);
  }
  return info;
}

function computeInfo(operationId: string): OperationInfo {
  const isEmbedding = operationId === "ai.embed" || operationId === "ai.embedMany";
  const isObject = operationId === "ai.generateObject" || operationId === "ai.streamObject";
  const hasSteps = operationId === "ai.generateText" || operationId === "ai.streamText";
  return {
    kind: isEmbedding ? "EMBEDDING" : hasSteps ? "AGENT" : "CHAIN",
    hasSteps,
    isEmbedding,
    isObject,
    isStream: operationId.startsWith("ai.stream"),
  };
}

const MODEL_CALL_NAMES: Record<string, string> = {
  "ai.generateText": "ai.generateText.doGenerate",
  "ai.streamText": "ai.streamText.doStream",
  "ai.generateObject": "ai.generateObject.doGenerate",
  "ai.streamObject": "ai.streamObject.doStream",
};

/** Name of a model-call span, the same in every major: `ai.generateText.doGenerate`, ... */
export function modelCallName(operationId: string): string {
  const known = MODEL_CALL_NAMES[operationId];
  if (known) return known;
  if (operationId.endsWith("Many") || operationId === "ai.embed") return `${operationId}.doEmbed`;
  return `${operationId}.${operationId.startsWith("ai.stream") ? "doStream" : "doGenerate"}`;
}
