/**
 * Safety nets for calls whose result is never consumed: a `FinalizationRegistry` closes the span when
 * the caller's object (stream or promise) is garbage-collected, and one shared, unref'd sweep timer
 * closes a stream's span once `timeoutMs` passes without a read. Neither keeps the caller's object
 * alive: the registry holds the call, which never references the watched object.
 *
 * Nets are set up on the next turn (`watchLater`), off the caller's path, and only for calls still
 * open then: a result awaited at once never touches the registry.
 */
import { deferRecording, guard } from "@pandaprobe/core";
import type { CallRecorder } from "./call-recorder.js";

const registry =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<CallRecorder>((call) => guard("openai.safety-net.gc", () => abandon(call, "gc")))
    : undefined;

/** Streams watched for idleness (a stream's call has `idleMs` > 0), and the one timer that looks at them. */
const idle = new Set<CallRecorder>();
let sweepTimer: ReturnType<typeof setTimeout> | undefined;
let sweepAt = Infinity;

/**
 * `watch(call, target, timeoutMs)` on the next turn, if the call is still open then. For a promise
 * (`unlessParsed`), only if the caller has not asked for its result by then either: a result being
 * awaited reaches the call through the parse hooks.
 */
export function watchLater(call: CallRecorder, target: object, timeoutMs: number, unlessParsed = false): void {
  deferRecording(() => {
    if (!call.done && !(unlessParsed && call.parsing)) watch(call, target, timeoutMs);
  });
}

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
  if (timeoutMs > 0) {
    call.idleMs = timeoutMs;
    call.seenReads = call.reads;
    call.idleSince = Date.now();
    idle.add(call);
    arm(call.idleSince + timeoutMs);
  }
}

/** Stops watching `call`. */
export function unwatch(call: CallRecorder): void {
  if (call.registered) {
    call.registered = false;
    registry?.unregister(call);
  }
  if (call.idleMs > 0) {
    call.idleMs = 0;
    idle.delete(call);
  }
}

function arm(at: number): void {
  if (sweepTimer && at >= sweepAt) return;
  if (sweepTimer) clearTimeout(sweepTimer);
  sweepAt = at;
  sweepTimer = setTimeout(sweep, Math.max(1, at - Date.now()));
  (sweepTimer as { unref?: () => void }).unref?.();
}

/** A stream read since the last look (or with a read pending) starts a new idle period; else it is abandoned. */
function sweep(): void {
  sweepTimer = undefined;
  sweepAt = Infinity;
  const now = Date.now();
  let next = Infinity;
  for (const call of idle) {
    if (call.done) {
      idle.delete(call);
      continue;
    }
    if (call.reading || call.reads !== call.seenReads) {
      call.seenReads = call.reads;
      call.idleSince = now;
    } else if (now - call.idleSince >= call.idleMs) {
      guard("openai.safety-net.timeout", () => abandon(call, "timeout"));
      continue;
    }
    next = Math.min(next, call.idleSince + call.idleMs);
  }
  if (next < Infinity) arm(next);
}

/** Closes an abandoned call with what it has so far. */
function abandon(call: CallRecorder, reason: "gc" | "timeout"): void {
  if (call.done) return;
  const acc = call.acc;
  if (!acc) return call.finish({ metadata: { result_unconsumed: true } });
  call.finish(() => {
    const result = acc.result(false);
    return { ...result, metadata: { ...result.metadata, stream_abandoned: reason } };
  });
}
