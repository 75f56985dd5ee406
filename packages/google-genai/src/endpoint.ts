/**
 * What each traced method (generate, chat turn, embed) contributes: `Endpoint`. Declared beside the recorder that
 * drives it (call-recorder.ts), so the two never import each other.
 */
export type { Endpoint } from "./call-recorder.js";
