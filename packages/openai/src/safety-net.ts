/**
 * Safety nets for calls whose result is never consumed: a `FinalizationRegistry` closes the span when
 * the caller's object (stream or promise) is garbage-collected, and an unref'd idle timer closes a
 * stream's span after `timeoutMs` without reads. Neither keeps the caller's object alive.
 */
import { guard } from "@pandaprobe/core";
import type { CallRecorder } from "./call-recorder.js";

/** Closes an abandoned call with what it has so far; `reason` goes to span metadata. */
export type AbandonFn = (reason: "gc" | "timeout") => void;

const registry =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<AbandonFn>((abandon) => guard("openai.safety-net.gc", () => abandon("gc")))
    : undefined;

/**
 * Watches `target` for `call`: `abandon` runs if `target` is collected, or (when `timeoutMs` > 0)
 * once `call.lastActivity` is older than `timeoutMs`. Replaces any earlier watch of the call.
 * `abandon` must not reference `target`.
 */
export function watch(call: CallRecorder, target: object, abandon: AbandonFn, timeoutMs: number): void {
  call.unwatch?.();
  const token = {};
  registry?.register(target, abandon, token);
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (timeoutMs > 0) {
    call.lastActivity = Date.now();
    const check = () => {
      timer = undefined;
      if (call.done) return;
      const idle = call.reading ? 0 : Date.now() - call.lastActivity;
      if (idle >= timeoutMs) guard("openai.safety-net.timeout", () => abandon("timeout"));
      else arm(timeoutMs - idle);
    };
    const arm = (ms: number) => {
      timer = setTimeout(check, ms);
      timer.unref?.();
    };
    arm(timeoutMs);
  }
  call.unwatch = () => {
    call.unwatch = undefined;
    registry?.unregister(token);
    if (timer) clearTimeout(timer);
  };
}
