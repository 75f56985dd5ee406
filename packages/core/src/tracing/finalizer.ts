import { contextStore, DETACHED, drainFlag } from "../context/frame.js";
import { sharedValue } from "../utils/carrier.js";
import { guard } from "../utils/guard.js";

/** Work that turns ended spans and traces into payloads. */
export interface Deferred {
  runDeferred(): void;
}

interface FinalizerState {
  jobs: Array<Deferred | (() => void)>;
  scheduled: boolean;
}

const state = sharedValue<FinalizerState>("finalizer", () => ({ jobs: [], scheduled: false }));

/**
 * Queues `job` to run on the next turn of the event loop (one `setImmediate` for the whole batch),
 * so `span.end()` / `trace.end()` cost O(1) on the caller's path. `flush()`, `shutdown()` and
 * process exit drain the queue first, so `await flush()` right after a call still sends its trace.
 */
export function defer(job: Deferred | (() => void)): void {
  const s = state();
  s.jobs.push(job);
  if (s.scheduled) return;
  s.scheduled = true;
  const setImm = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  if (typeof setImm === "function") setImm(drainDeferred);
  else setTimeout(drainDeferred, 0);
}

/**
 * Runs `fn` once the current turn of the event loop is over, and always before `flush()`,
 * `shutdown()` or process exit send anything: for integrations that record a finished call off
 * the caller's path. Keep `fn` synchronous: it runs outside any trace, span, user or session, and
 * framework resolvers are not consulted (jobs from many requests share one turn), so read what you
 * need from the context when the call happens and pass it explicitly. Errors thrown by `fn` are
 * reported like any instrumentation error, never re-thrown.
 */
export function deferRecording(fn: () => void): void {
  if (typeof fn === "function") defer(fn);
}

/** Runs every queued job now, in order (jobs queued while draining run too; a nested drain runs only those). */
export function drainDeferred(): void {
  const s = state();
  s.scheduled = false;
  if (s.jobs.length === 0) return;
  const store = contextStore();
  // No context to leave (AsyncLocalStorage never entered): mark the drain instead of entering a
  // frame, because a first `run()` makes Node < 22 track every promise of the process from then on.
  if (store.get() === undefined) {
    const flag = drainFlag();
    const outer = flag.active;
    flag.active = true;
    try {
      runJobs(s);
    } finally {
      flag.active = outer;
    }
  } else store.run(DETACHED, () => runJobs(s));
}

function runJobs(s: FinalizerState): void {
  while (s.jobs.length > 0) {
    const jobs = s.jobs;
    s.jobs = [];
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i];
      guard("finalize", () => (typeof job === "function" ? job() : job.runDeferred()));
    }
  }
}
