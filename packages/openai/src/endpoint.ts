/**
 * What each traced endpoint (chat, responses, embeddings) contributes: `Endpoint`, `Captured`, `StreamAccumulator`.
 * Declared beside the recorder that drives them (call-recorder.ts), so the two never import each other.
 */
export type { Captured, Endpoint, StreamAccumulator } from "./call-recorder.js";
