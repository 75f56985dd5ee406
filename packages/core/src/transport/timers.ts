/**
 * Timers for the transport. `setTimeout` takes at most 2^31 - 1 ms: a longer delay (or Infinity) fires after
 * 1 ms with a `TimeoutOverflowWarning`, so delays are clamped, and deadlines longer than that are chained.
 */

/** The longest delay `setTimeout` accepts. */
const MAX_DELAY = 2_147_483_647;

export type Timer = ReturnType<typeof setTimeout>;

/** Lets the process end while `t` is armed (Node, Bun; Deno's numeric timer ids through `Deno.unrefTimer`). */
function unref(t: Timer): void {
  if (typeof t === "object" && t !== null) {
    (t as { unref?: () => void }).unref?.();
    return;
  }
  const deno = (globalThis as { Deno?: { unrefTimer?: (id: number) => void } }).Deno;
  if (typeof t === "number") deno?.unrefTimer?.(t);
}

/** A timer that never keeps the process alive (delays beyond 2^31 - 1 ms are clamped). */
export function unrefTimer(fn: () => void, ms: number): Timer {
  const t = setTimeout(fn, clampDelay(ms));
  unref(t);
  return t;
}

/** A delay `setTimeout` takes as given: NaN and negatives are 0, longer ones MAX_DELAY. */
function clampDelay(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_DELAY);
}

/** A cancellable deadline. */
export interface Deadline {
  cancel(): void;
}

/**
 * Runs `fn` once `ms` from now (never, for Infinity). It keeps the process alive while armed: someone is awaiting
 * it (a flush with that timeout, or the bounded delivery at process end). NaN and negatives mean now.
 */
export function deadline(ms: number, fn: () => void): Deadline {
  let timer: Timer | undefined;
  let cancelled = false;
  const end = Date.now() + (ms > 0 ? Math.min(ms, Number.MAX_SAFE_INTEGER) : 0);
  const arm = (): void => {
    const left = ms === Number.POSITIVE_INFINITY ? MAX_DELAY : end - Date.now();
    if (left > MAX_DELAY || ms === Number.POSITIVE_INFINITY) {
      timer = setTimeout(arm, MAX_DELAY);
      return;
    }
    timer = setTimeout(() => {
      if (!cancelled) fn();
    }, clampDelay(left));
  };
  arm();
  return {
    cancel() {
      cancelled = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
