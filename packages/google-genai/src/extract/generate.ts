/** `models.generateContent` / `generateContentStream`, and the chat turns that go through them. */
import type { Endpoint } from "../endpoint.js";
import { GenerateStreamAccumulator } from "../streaming/generate-stream.js";
import { type CapturedInput, captureInput, inputMessages } from "./contents.js";
import { modelParameters } from "./parameters.js";
import { generateResult } from "./response.js";

function generateEndpoint(name: string, streams: boolean): Endpoint {
  return {
    name,
    kind: "LLM",
    streams,
    capture: captureInput,
    input: (captured) => ({ input: inputMessages(captured as CapturedInput) }),
    modelParameters,
    finish: generateResult,
    stream: streams ? () => new GenerateStreamAccumulator() : undefined,
  };
}

/** The Python SDK's name for both. */
export const generateContentEndpoint = generateEndpoint("gemini-generate", false);
export const generateStreamEndpoint = generateEndpoint("gemini-generate", true);
/** A chat turn (`chat.sendMessage` / `sendMessageStream`): its input is the chat's history and the new message. */
export const chatEndpoint = generateEndpoint("gemini-chat", false);
export const chatStreamEndpoint = generateEndpoint("gemini-chat", true);
