/** `@pandaprobe/google-genai`: trace every Google Gen AI SDK call without changing what the client returns. */
export { wrapGemini, wrapGoogleGenAI } from "./wrap-google-genai.js";
export { withPandaProbe } from "@pandaprobe/core";
export type { GoogleGenAICallOptions, WrapGoogleGenAIOptions } from "./types.js";
