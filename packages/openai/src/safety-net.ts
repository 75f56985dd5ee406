/**
 * Safety nets for calls whose result is never consumed: a `FinalizationRegistry` closes the span when
 * the caller's object (stream or promise) is garbage-collected, and one shared, unref'd sweep timer
 * closes a stream's span once `timeoutMs` passes without a read. Neither keeps the caller's object
 * alive: the registry holds the call, which never references the watched object.
 *
 * Nets are set up later (`watchLater`), off the caller's path, and only for calls still open then: they
 * catch abandoned results, which only time reveals, so a call that ends within `NET_DELAY_MS` (or a
 * promise awaited at once) never touches the registry or the sweep.
 */
import { guard } from "@pandaprobe/core";
import type { CallRecorder } from "./call-recorder.js";

const registry =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<CallRecorder>((call) => guard("openai.safety-net.gc", () => abandon(call, "gc")))
    : undefined;

/** Streams watched for idleness (a stream's call has `idleMs` > 0), and the one timer that looks at them. */
const idle = new Set<CallRecorder>();
let sweepTimer: ReturnType<typeof setTimeout> | undefined;
let sweepAt = Infinity;

/** How long a result may stay open before its nets are set up (less when its idle timeout is shorter). */
const NET_DELAY_MS = 250;

/**
 * A result waiting for its nets (held for at most about NET_DELAY_MS; see the list below and its one timer).
 * A call that stops meanwhile lets go of it at once (`unwatch`): the list must not keep finished calls,
 * their streams and spans alive for a quarter of a second, or every garbage collection meanwhile copies them.
 */
export interface Young {
  call: CallRecorder | undefined;
  target: object | undefined;
  timeoutMs: number;
  unlessParsed: boolean;
}
let young: Young[] = [];
let youngTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * `watch(call, target, timeoutMs)` after a short while (NET_DELAY_MS, or `timeoutMs` when shorter), if
 * the call is still open then. For a promise (`unlessParsed`), only if the caller has not asked for its
 * result by then either: a result being awaited reaches the call through the parse hooks.
 */
export function watchLater(call: CallRecorder, target: object, timeoutMs: number, unlessParsed = false): void {
  const entry: Young = { call, target, timeoutMs, unlessParsed };
  call.young = entry;
  young.push(entry);
  if (youngTimer) return;
  youngTimer = setTimeout(armYoung, timeoutMs > 0 ? Math.min(timeoutMs, NET_DELAY_MS) : NET_DELAY_MS);
  (youngTimer as { unref?: () => void }).unref?.();
}

function armYoung(): void {
  youngTimer = undefined;
  const due = young;
  young = [];
  for (const { call, target, timeoutMs, unlessParsed } of due) {
    if (!call || !target) continue; // stopped meanwhile
    call.young = undefined;
    if (!call.done && !(unlessParsed && call.parsing))
      guard("openai.safety-net.watch", () => watch(call, target, timeoutMs));
  }
}

/**
 * For a result promise: a caller awaiting it at once has asked for its result (`parse()`) within two
 * microtasks (`await` calls `then` from a job queued right after `create()` returns); such a call needs
 * no net and no timer. Any other call gets `watchLater`.
 */
export function watchUnlessAwaited(call: CallRecorder, promise: object): void {
  queueMicrotask(() =>
    queueMicrotask(() => {
      if (!call.done && !call.parsing) watchLater(call, promise, 0, true);
    }),
  );
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

/** Stops watching `call`, and lets go of it if it still waits for its nets. */
export function unwatch(call: CallRecorder): void {
  const entry = call.young;
  if (entry) {
    entry.call = entry.target = undefined;
    call.young = undefined;
  }
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
