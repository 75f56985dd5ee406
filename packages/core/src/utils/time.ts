import type { TimeInput } from "../types.js";

const perf = globalThis.performance;
const origin = perf && typeof perf.timeOrigin === "number" ? perf.timeOrigin : Date.now();
const hasPerf = !!perf && typeof perf.now === "function";

/** The clock span and trace times use: epoch milliseconds, sub-millisecond where the runtime allows (for integration authors passing `startTime`/`endTime`). */
export function nowMs(): number {
  return hasPerf ? origin + perf.now() : Date.now();
}

/** Converts a user time to epoch ms; undefined for anything unusable. */
export function toMs(time: TimeInput | undefined): number | undefined {
  if (time === undefined || time === null) return undefined;
  const ms = time instanceof Date ? time.getTime() : typeof time === "number" ? time : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

let cachedSecond = NaN;
let cachedPrefix = "";

/** ISO 8601 UTC with microseconds (`2026-03-01T10:00:00.123456Z`), which the backend keeps. */
export function toIso(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    // Formatting a Date is the expensive part: do it once per second of timestamps.
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19);
    cachedSecond = second;
  }
  const micros = Math.floor((ms - second * 1000) * 1000);
  return `${cachedPrefix}.${String(micros).padStart(6, "0")}Z`;
}
