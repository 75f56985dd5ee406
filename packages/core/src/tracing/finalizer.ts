import { contextStore, DETACHED, drainFlag } from "../context/frame.js";
import { sharedValue } from "../utils/carrier.js";
import { registerForExit } from "../transport/exit-hook.js";
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

/** `deferRecording` jobs wait for a batch: at most this many, ... */
const RECORDING_BATCH = 32;
/** ... for at most this long. */
const RECORDING_DELAY_MS = 100;

interface RecordingState {
  fns: Array<() => void>;
  timer: ReturnType<typeof setTimeout> | undefined;
  exitHooked: boolean;
}

const recordings = sharedValue<RecordingState>("recordings", () => ({ fns: [], timer: undefined, exitHooked: false }));

/**
 * Queues `job` to run on the next turn of the event loop (one `setImmediate` for the whole batch),
 * so `span.end()` / `trace.end()` cost O(1) on the caller's path. `flush()`, `shutdown()` and
 * process exit drain the queue first, so `await flush()` right after a call still sends its trace.
 */
export function defer(job: Deferred | (() => void)): void {
  const s = state();
  s.jobs.push(job);
  scheduleDrain(s);
}

function scheduleDrain(s: FinalizerState): void {
  if (s.scheduled) return;
  s.scheduled = true;
  const setImm = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  if (typeof setImm === "function") setImm(drainDeferred);
  else setTimeout(drainDeferred, 0);
}

/**
 * Runs `fn` off the caller's path, batched with other recordings: within about 100 ms (at once when
 * 32 are waiting), and always before `flush()`, `shutdown()`, `stats()` or process exit send anything.
 * For integrations that record a finished call after it returns: a batch runs with its code and data
 * warm, several times cheaper than one job after each call. Keep `fn` synchronous: it runs outside any
 * trace, span, user or session, and framework resolvers are not consulted (jobs from many requests
 * share one batch), so read what you need from the context when the call happens and pass it
 * explicitly; copy what the caller may change before the batch runs. Errors thrown by `fn` are
 * reported like any instrumentation error, never re-thrown.
 */
export function deferRecording(fn: () => void): void {
  if (typeof fn !== "function") return;
  const r = recordings();
  r.fns.push(fn);
  if (r.fns.length >= RECORDING_BATCH) return scheduleDrain(state());
  if (r.timer) return;
  r.timer = setTimeout(drainDeferred, RECORDING_DELAY_MS);
  (r.timer as { unref?: () => void }).unref?.();
  if (!r.exitHooked) {
    // The timer does not keep the process alive: a process about to exit drains the batch first.
    r.exitHooked = true;
    registerForExit({ flushForExit: drainDeferred });
  }
}

/** Runs every queued job now, in order (jobs queued while draining run too; a nested drain runs only those). */
export function drainDeferred(): void {
  const s = state();
  s.scheduled = false;
  const r = recordings();
  if (r.timer) {
    clearTimeout(r.timer);
    r.timer = undefined;
  }
  if (s.jobs.length === 0 && r.fns.length === 0) return;
  const store = contextStore();
  // No context to leave (AsyncLocalStorage never entered): mark the drain instead of entering a
  // frame, because a first `run()` makes Node < 22 track every promise of the process from then on.
  if (store.get() === undefined) {
    const flag = drainFlag();
    const outer = flag.active;
    flag.active = true;
    try {
      runJobs(s, r);
    } finally {
      flag.active = outer;
    }
  } else store.run(DETACHED, () => runJobs(s, r));
}

/** Recordings first (they end spans and traces), then the jobs that serialise them, until both are empty. */
function runJobs(s: FinalizerState, r: RecordingState): void {
  while (s.jobs.length > 0 || r.fns.length > 0) {
    const fns = r.fns;
    r.fns = [];
    for (let i = 0; i < fns.length; i++) guard("finalize", fns[i]);
    const jobs = s.jobs;
    s.jobs = [];
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i];
      guard("finalize", () => (typeof job === "function" ? job() : job.runDeferred()));
    }
  }
}
