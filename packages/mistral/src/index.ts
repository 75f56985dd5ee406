/** `@pandaprobe/mistral`: trace every Mistral SDK call without changing what the client returns. */
export { wrapMistral } from "./wrap-mistral.js";
export { withPandaProbe } from "@pandaprobe/core";
export type { MistralCallOptions, WrapMistralOptions } from "./types.js";
