import type { TimeInput } from "../types.js";

const perf = globalThis.performance;
const origin = perf && typeof perf.timeOrigin === "number" ? perf.timeOrigin : Date.now();
const hasPerf = !!perf && typeof perf.now === "function";

/** The clock span and trace times use: epoch milliseconds, sub-millisecond where the runtime allows (for integration authors passing `startTime`/`endTime`). */
export function nowMs(): number {
  return hasPerf ? origin + perf.now() : Date.now();
}

/** The earliest and latest times the backend stores (years 1 to 9999: Python's datetime), in epoch milliseconds. */
export const MIN_TIME_MS = -62_135_596_800_000;
export const MAX_TIME_MS = 253_402_300_799_999;

/**
 * Converts a user time (a `Date` or epoch milliseconds) to epoch ms; undefined for anything unusable, including
 * times outside years 1 to 9999, which the backend cannot store. Never throws.
 */
export function toMs(time: TimeInput | undefined): number | undefined {
  if (time === undefined || time === null) return undefined;
  let ms: number;
  if (typeof time === "number") ms = time;
  else {
    try {
      ms = time instanceof Date ? time.getTime() : Number.NaN;
    } catch {
      return undefined;
    }
  }
  return ms >= MIN_TIME_MS && ms <= MAX_TIME_MS ? ms : undefined;
}

let cachedSecond = NaN;
let cachedPrefix = "";

/** ISO 8601 UTC with microseconds (`2026-03-01T10:00:00.123456Z`), which the backend keeps. */
export function toIso(time: number): string {
  const ms = time >= MIN_TIME_MS && time <= MAX_TIME_MS ? time : nowMs();
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    // Formatting a Date is the expensive part: do it once per second of timestamps.
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19);
    cachedSecond = second;
  }
  const micros = Math.floor((ms - second * 1000) * 1000);
  return `${cachedPrefix}.${String(micros).padStart(6, "0")}Z`;
}
