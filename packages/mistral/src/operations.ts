/**
 * The traced methods of a `Mistral` client, per resource, and what each records. Names follow PandaProbe's Python
 * SDK (`mistral-chat`), one per kind of call: `mistral-chat`, `mistral-agent`, `mistral-fim`, `mistral-embedding`.
 */
import { isLoose, META, summarizeEmbeddings } from "@pandaprobe/core/integration";
import { completionResult } from "./extract/completion.js";
import { inputMessages } from "./extract/messages.js";
import { modelParameters } from "./extract/parameters.js";
import type { Captured, Operation } from "./operation.js";
import { CompletionStreamAccumulator } from "./streaming/completion-stream.js";

const copy = (value: unknown) => (Array.isArray(value) ? value.slice() : value);

/** Streaming methods aggregate `{ data: CompletionChunk }` events. */
const streams: Pick<Operation, "stream"> = { stream: () => new CompletionStreamAccumulator() };

/** `chat.complete`, `chat.stream`, `chat.parse`, `chat.parseStream`: the messages in, the reply out. */
function chat(helper?: string, stream?: boolean): Operation {
  const structured = helper !== undefined;
  return {
    name: "mistral-chat",
    kind: "LLM",
    helper,
    // Copied now: callers push the reply onto `messages` right after the call, before the span is built.
    capture: (params) => ({ raw: copy(params.messages) }),
    input: inputMessages,
    parameters: (params) => modelParameters(params, structured),
    result: completionResult,
    ...(stream ? streams : undefined),
  };
}

/** `agents.complete`, `agents.stream`: a chat completion by an agent (its id in the metadata; its model from the response). */
function agent(stream?: boolean): Operation {
  return {
    ...chat(undefined, stream),
    name: "mistral-agent",
    capture: (params): Captured => ({
      raw: copy(params.messages),
      metadata: typeof params.agentId === "string" ? { [META.AGENT_ID]: params.agentId } : undefined,
    }),
  };
}

/** `fim.complete`, `fim.stream`: code between a prompt and a suffix. */
function fim(stream?: boolean): Operation {
  return {
    name: "mistral-fim",
    kind: "LLM",
    capture: (params) => ({ raw: { prompt: params.prompt, suffix: params.suffix ?? undefined } }),
    input: (raw) => raw,
    parameters: (params) => modelParameters(params),
    result: completionResult,
    ...(stream ? streams : undefined),
  };
}

/** `embeddings.create`: an EMBEDDING span with the texts, model, dimensions and usage, never the vectors. */
const embeddings: Operation = {
  name: "mistral-embedding",
  kind: "EMBEDDING",
  capture: (params) => {
    const inputs = copy(params.inputs);
    // A standalone trace follows the messages convention: the texts as the user's message, no output.
    return { raw: inputs, traceInput: { messages: [{ role: "user", content: inputs }] } };
  },
  input: (raw) => raw,
  parameters: (params) => modelParameters(params),
  result: (data) => {
    if (!isLoose(data)) return {};
    const output = summarizeEmbeddings(Array.isArray(data.data) ? data.data : []);
    return { output, traceOutput: undefined, model: data.model, usage: data.usage };
  },
};

/** Resource name → method name → what it records. Methods a release lacks (`chat.parse` before 1.5) are skipped. */
export const OPERATIONS: Record<string, Record<string, Operation>> = {
  chat: {
    complete: chat(),
    stream: chat(undefined, true),
    parse: chat("chat.parse"),
    parseStream: chat("chat.parseStream", true),
  },
  agents: { complete: agent(), stream: agent(true) },
  fim: { complete: fim(), stream: fim(true) },
  embeddings: { create: embeddings },
};
