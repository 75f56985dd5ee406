/**
 * What each traced endpoint (chat, responses, embeddings) contributes: `Endpoint` and `Captured`.
 * Declared beside the recorder that drives them (call-recorder.ts), so the two never import each other.
 */
export type { Captured, Endpoint } from "./call-recorder.js";
