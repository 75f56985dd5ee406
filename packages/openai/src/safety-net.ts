/**
 * Safety nets for calls whose result is never consumed: a `FinalizationRegistry` closes the span when
 * the caller's object (stream or promise) is garbage-collected, and an unref'd idle timer closes a
 * stream's span after `timeoutMs` without reads. Neither keeps the caller's object alive: the registry
 * holds the call, which never references the watched object. No per-call closures.
 */
import { guard } from "@pandaprobe/core";
import type { CallRecorder } from "./call-recorder.js";

const registry =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<CallRecorder>((call) => guard("openai.safety-net.gc", () => abandon(call, "gc")))
    : undefined;

/**
 * Watches `target` for `call`: the call is closed as abandoned if `target` is collected, or (when
 * `timeoutMs` > 0) once a whole `timeoutMs` passes without a read. Replaces any earlier watch of the call.
 */
export function watch(call: CallRecorder, target: object, timeoutMs: number): void {
  unwatch(call);
  if (registry) {
    registry.register(target, call, call);
    call.registered = true;
  }
  if (timeoutMs > 0) arm(call, timeoutMs);
}

/** Stops watching `call`. */
export function unwatch(call: CallRecorder): void {
  if (call.registered) {
    call.registered = false;
    registry?.unregister(call);
  }
  if (call.timer) {
    clearTimeout(call.timer);
    call.timer = undefined;
  }
}

function arm(call: CallRecorder, ms: number): void {
  call.seenReads = call.reads;
  const timer = setTimeout(checkIdle, ms, call, ms);
  timer.unref?.();
  call.timer = timer;
}

/** A read happened (or is pending) since the last look: wait again; else the stream is abandoned. */
function checkIdle(call: CallRecorder, ms: number): void {
  call.timer = undefined;
  if (call.done) return;
  if (call.reading || call.reads !== call.seenReads) arm(call, ms);
  else guard("openai.safety-net.timeout", () => abandon(call, "timeout"));
}

/** Closes an abandoned call with what it has so far. */
function abandon(call: CallRecorder, reason: "gc" | "timeout"): void {
  if (call.done) return;
  const acc = call.acc;
  if (!acc) return call.finish({ metadata: { result_unconsumed: true } });
  const result = acc.result(false);
  call.finish({ ...result, metadata: { ...result.metadata, stream_abandoned: reason } });
}
