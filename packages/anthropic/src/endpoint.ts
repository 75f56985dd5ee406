/**
 * What each traced method contributes: `Endpoint` and `StreamAccumulator`.
 * Declared beside the recorder that drives them (call-recorder.ts), so the two never import each other.
 */
export type { StreamAccumulator, Endpoint } from "./call-recorder.js";
