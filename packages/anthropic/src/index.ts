/** `@pandaprobe/anthropic`: trace every Anthropic SDK Messages API call without changing what the client returns. */
export { wrapAnthropic } from "./wrap-anthropic.js";
export { withPandaProbe } from "@pandaprobe/core";
export type { AnthropicCallOptions, WrapAnthropicOptions } from "./types.js";
