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

export function operationInfo(operationId: string): OperationInfo {
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

/** Name of a model-call span, the same in every major: `ai.generateText.doGenerate`, ... */
export function modelCallName(operationId: string): string {
  if (operationId.endsWith("Many") || operationId === "ai.embed") return `${operationId}.doEmbed`;
  return `${operationId}.${operationId.startsWith("ai.stream") ? "doStream" : "doGenerate"}`;
}
