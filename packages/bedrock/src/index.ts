/** `@pandaprobe/bedrock`: trace every Amazon Bedrock Runtime call without changing what the client returns. */
export { wrapBedrock } from "./wrap-bedrock.js";
export { withPandaProbe } from "@pandaprobe/core";
export type { BedrockCallOptions, WrapBedrockOptions } from "./types.js";
