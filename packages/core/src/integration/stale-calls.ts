/**
 * The one stale-call sweep of every integration. Open calls are tracked in one process-wide set; a call whose
 * activity counter has not moved (and that is not busy) for its `staleCallTimeoutMs` is abandoned. One unref'd
 * timer, armed for the earliest deadline, never keeps the process alive; a call costs a set insert and delete.
 *
 * `watch(call, target)` also closes a call when `target` (the stream or promise the caller got) is garbage-collected
 * before the call ends. Watches are registered a short while later, and only for calls still open then: registering
 * costs more than the whole call for the many that end at once, and an abandoned result is only seen with time.
 */
import { guard } from "../utils/guard.js";

/** What the sweep reads and writes on a call (fields of `Call`). */
export interface Sweepable {
  /** Bumped by `touch()`. */
  activity: number;
  /** `activity` at the last look, and when it last moved. */
  seenActivity: number;
  idleSince: number;
  /** Something will report back (a read or a request in flight): never stale meanwhile. */
  busy: boolean;
  readonly staleCallTimeoutMs: number;
  /** The watch waiting to be registered, and whether the call is registered for GC. */
  pendingWatch: PendingWatch | undefined;
  gcWatched: boolean;
  abandon(reason: "timeout" | "gc"): void;
}

interface PendingWatch {
  call: Sweepable | undefined;
  target: object | undefined;
}

/** How long after `watch()` a still-open call is registered for GC. */
const WATCH_DELAY_MS = 250;

const open = new Set<Sweepable>();
let sweepTimer: ReturnType<typeof setTimeout> | undefined;
let sweepAt = Infinity;
let pending: PendingWatch[] = [];
let watchTimer: ReturnType<typeof setTimeout> | undefined;

const collected =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<Sweepable>((call) => guard("stale-call sweep (gc)", () => call.abandon("gc")))
    : undefined;

/** Starts sweeping `call` (nothing when its timeout is 0: the sweep is off for it). */
export function track(call: Sweepable): void {
  if (call.staleCallTimeoutMs <= 0) return;
  open.add(call);
  call.seenActivity = call.activity;
  call.idleSince = Date.now();
  arm(call.idleSince + call.staleCallTimeoutMs);
}

/** Stops sweeping and watching `call` (it ended), letting go of it at once. */
export function untrack(call: Sweepable): void {
  open.delete(call);
  const entry = call.pendingWatch;
  if (entry) {
    entry.call = entry.target = undefined;
    call.pendingWatch = undefined;
  }
  if (call.gcWatched) {
    call.gcWatched = false;
    collected?.unregister(call);
  }
}

/** Closes `call` as abandoned if `target` is garbage-collected before the call ends (registered after a short while). */
export function watch(call: Sweepable, target: object): void {
  if (!collected || call.gcWatched || call.pendingWatch) return;
  const entry: PendingWatch = { call, target };
  call.pendingWatch = entry;
  pending.push(entry);
  if (watchTimer) return;
  watchTimer = setTimeout(registerPending, WATCH_DELAY_MS);
  (watchTimer as { unref?: () => void }).unref?.();
}

function registerPending(): void {
  watchTimer = undefined;
  const due = pending;
  pending = [];
  for (const entry of due) {
    const { call, target } = entry;
    if (!call || !target) continue; // ended meanwhile
    call.pendingWatch = undefined;
    call.gcWatched = true;
    collected!.register(target, call, call);
  }
}

function arm(at: number): void {
  // A timer that is overdue has been lost (a test's fake timers were uninstalled): arm a new one.
  if (sweepTimer && at >= sweepAt && sweepAt > Date.now()) return;
  if (sweepTimer) clearTimeout(sweepTimer);
  sweepAt = at;
  sweepTimer = setTimeout(sweep, Math.max(1, at - Date.now()));
  (sweepTimer as { unref?: () => void }).unref?.();
}

/** Activity since the last look (or a busy call) starts a new idle period; a whole timeout without any abandons it. */
function sweep(): void {
  sweepTimer = undefined;
  sweepAt = Infinity;
  const now = Date.now();
  let next = Infinity;
  for (const call of open) {
    if (call.busy || call.activity !== call.seenActivity) {
      call.seenActivity = call.activity;
      call.idleSince = now;
    } else if (now - call.idleSince >= call.staleCallTimeoutMs) {
      open.delete(call);
      guard("stale-call sweep", () => call.abandon("timeout"));
      continue;
    }
    next = Math.min(next, call.idleSince + call.staleCallTimeoutMs);
  }
  if (next < Infinity) arm(next);
}
