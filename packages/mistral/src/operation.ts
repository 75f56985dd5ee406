/**
 * What each traced operation contributes: `Operation` and `Captured`. Declared beside the recorder that drives them
 * (traced-call.ts), so the two never import each other.
 */
export type { Captured, Operation } from "./traced-call.js";
