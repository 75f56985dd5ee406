/**
 * The four traced Bedrock Runtime operations, by the command name the SDK puts in the middleware context: what each
 * reads from its input when the call starts (cheap copies only), and what it makes of the input, the result or the
 * stream when the call is recorded (off the caller's path).
 */
import type { SpanKind } from "@pandaprobe/core";
import { isLoose, type Loose, META, type ModelResult, type StreamAccumulator } from "@pandaprobe/core/integration";
import { type DecodedBody, decodeBody } from "./extract/body.js";
import { reasoningMetadata, replyOf, toMessages } from "./extract/messages.js";
import { embeddingInput, requestInput, requestParameters, toolNames } from "./extract/request-shapes.js";
import { readResponse } from "./extract/response-shapes.js";
import { converseUsage, headerUsage } from "./extract/usage.js";
import { isEmbeddingModel } from "./model-id.js";
import { ConverseStreamAccumulator } from "./streaming/converse-stream.js";
import { InvokeStreamAccumulator } from "./streaming/invoke-stream.js";

/** What is read from a command's input when the call starts. */
export interface Captured {
  modelId: string | undefined;
  embedding: boolean;
  /** The input, with the arrays the caller may change right after the call copied (Converse `messages`, `system`). */
  input: Loose;
  /** The decoded InvokeModel request body (made when first needed, off the caller's path). */
  body?: DecodedBody;
}

export interface Operation {
  /** Span (and standalone trace) name: the Python SDK's. */
  name: string;
  /** The stream in a streaming operation's output (`stream` / `body`). */
  streamOf?(output: Loose): unknown;
  /** A fresh aggregate for a streaming operation. */
  accumulator?(): StreamAccumulator;
  /** Span input (messages where the shape is known). */
  input(captured: Captured): unknown;
  /** Standalone trace input, when it is not the last user message of the span input. */
  traceInput?(captured: Captured): unknown;
  parameters(captured: Captured): Record<string, unknown> | undefined;
  tools(captured: Captured): string[] | undefined;
  /** The result of a non-streaming call (`response` is the raw HTTP response, for its headers). */
  finish?(captured: Captured, output: Loose, response: unknown): ModelResult;
}

/** Reads a command's input at call time. */
export function capture(input: Loose): Captured {
  const modelId = typeof input.modelId === "string" ? input.modelId : undefined;
  const copy: Loose = { ...input };
  if (Array.isArray(input.messages)) copy.messages = input.messages.slice();
  if (Array.isArray(input.system)) copy.system = input.system.slice();
  return { modelId, embedding: modelId !== undefined && isEmbeddingModel(modelId), input: copy };
}

/** The span kind of a call. */
export const kindOf = (captured: Captured): SpanKind => (captured.embedding ? "EMBEDDING" : "LLM");

const converseBase = {
  name: "bedrock-converse",
  input: (c: Captured) => {
    const messages = toMessages(c.input.messages, c.input.system);
    // A prompt from Prompt management (`modelId` is its ARN) is filled in from `promptVariables`.
    return c.input.promptVariables === undefined
      ? { messages }
      : { messages, promptVariables: c.input.promptVariables };
  },
  parameters: (c: Captured) => requestParameters(c.input),
  tools: (c: Captured) => toolNames(c.input),
};

const converse: Operation = {
  ...converseBase,
  finish: (_c, output) => {
    const reply = replyOf(output.output?.message?.content, output.output?.message?.role);
    return {
      output: { messages: [reply.message] },
      usage: converseUsage(output.usage),
      metadata: {
        ...(typeof output.stopReason === "string" ? { [META.FINISH_REASON]: output.stopReason } : undefined),
        ...reasoningMetadata(reply),
      },
    };
  },
};

const converseStream: Operation = {
  ...converseBase,
  streamOf: (output) => output.stream,
  accumulator: () => new ConverseStreamAccumulator(),
};

/** The decoded request body (once). */
function requestBody(c: Captured): DecodedBody {
  return (c.body ??= decodeBody(c.input.body, c.input.contentType ?? "application/json"));
}

const invokeBase = {
  input: (c: Captured) => {
    const body = requestBody(c);
    if (body.kind !== "json") return body.value;
    return c.embedding ? embeddingInput(body.value) : requestInput(body.value);
  },
  traceInput: (c: Captured) => {
    if (!c.embedding) return undefined;
    const body = requestBody(c);
    return { messages: [{ role: "user", content: body.kind === "json" ? embeddingInput(body.value) : body.value }] };
  },
  parameters: (c: Captured) => {
    const body = requestBody(c);
    return body.kind === "json" ? requestParameters(body.value) : undefined;
  },
  tools: (c: Captured) => {
    const body = requestBody(c);
    return body.kind === "json" ? toolNames(body.value) : undefined;
  },
};

const invokeModel: Operation = {
  ...invokeBase,
  name: "bedrock-invoke-model",
  finish: (c, output, response) => {
    const body = decodeBody(output.body, output.contentType);
    const usage = headerUsage(isLoose(response) ? response.headers : undefined);
    const read = body.kind === "json" ? readResponse(body.value) : undefined;
    if (!read) return { output: body.value, usage };
    const metadata: Loose = {};
    if (read.finishReason) metadata[META.FINISH_REASON] = read.finishReason;
    if (read.responseId) metadata[META.RESPONSE_ID] = read.responseId;
    Object.assign(metadata, reasoningMetadata(read));
    const result: ModelResult = { usage: usage ?? read.usage, metadata };
    if (read.embeddings || c.embedding) {
      result.output = read.embeddings ?? body.value;
      result.traceOutput = undefined; // embeddings have no assistant message
    } else {
      result.output = read.message ? { messages: [read.message] } : body.value;
    }
    return result;
  },
};

const invokeModelStream: Operation = {
  ...invokeBase,
  name: "bedrock-invoke-model-stream",
  streamOf: (output) => output.body,
  accumulator: () => new InvokeStreamAccumulator(),
};

/** The traced operations, by the SDK's command name (`context.commandName`). */
export const OPERATIONS: ReadonlyMap<unknown, Operation> = new Map([
  ["ConverseCommand", converse],
  ["ConverseStreamCommand", converseStream],
  ["InvokeModelCommand", invokeModel],
  ["InvokeModelWithResponseStreamCommand", invokeModelStream],
]);
