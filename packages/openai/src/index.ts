/** `@pandaprobe/openai`: trace every OpenAI SDK call without changing what the client returns. */
export { wrapOpenAI } from "./wrap-openai.js";
export { withPandaProbe } from "./call-options.js";
export type { OpenAICallOptions, WrapOpenAIOptions } from "./types.js";
