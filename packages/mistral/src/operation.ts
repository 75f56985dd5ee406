/**
 * What each traced operation contributes: `Operation`, `Captured`, `OperationResult` and `StreamAccumulator`.
 * Declared beside the recorder that drives them (traced-call.ts), so the two never import each other.
 */
export type { Captured, OperationResult, StreamAccumulator, Operation } from "./traced-call.js";
