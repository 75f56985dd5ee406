/**
 * What each traced method (generate, chat turn, embed) contributes: `Endpoint` and `StreamAccumulator`. Declared
 * beside the recorder that drives them (call-recorder.ts), so the two never import each other.
 */
export type { Endpoint, StreamAccumulator } from "./call-recorder.js";
