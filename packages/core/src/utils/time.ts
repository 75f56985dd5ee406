import type { TimeInput } from "../types.js";

const perf = globalThis.performance;
const origin = perf && typeof perf.timeOrigin === "number" ? perf.timeOrigin : Date.now();
const hasPerf = !!perf && typeof perf.now === "function";

/** Epoch milliseconds with sub-millisecond precision where the runtime offers it. */
export function nowMs(): number {
  return hasPerf ? origin + perf.now() : Date.now();
}

/** Converts a user time to epoch ms; undefined for anything unusable. */
export function toMs(time: TimeInput | undefined): number | undefined {
  if (time === undefined || time === null) return undefined;
  const ms = time instanceof Date ? time.getTime() : typeof time === "number" ? time : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

/** ISO 8601 UTC with microseconds (`2026-03-01T10:00:00.123456Z`), which the backend keeps. */
export function toIso(ms: number): string {
  const whole = Math.floor(ms);
  const iso = new Date(whole).toISOString(); // ...ss.mmmZ
  const micro = Math.min(999, Math.floor((ms - whole) * 1000));
  return `${iso.slice(0, 23)}${micro < 10 ? "00" : micro < 100 ? "0" : ""}${micro}Z`;
}
