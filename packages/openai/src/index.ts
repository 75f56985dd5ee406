/** `@pandaprobe/openai`: trace every OpenAI SDK call without changing what the client returns. */
export { wrapOpenAI } from "./wrap-openai.js";
export { withPandaProbe } from "@pandaprobe/core";
export type { OpenAICallOptions, WrapOpenAIOptions } from "./types.js";
