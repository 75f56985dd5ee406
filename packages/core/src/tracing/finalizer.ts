import { contextStore, DETACHED, drainFlag } from "../context/frame.js";
import { sharedValue } from "../utils/carrier.js";
import { registerForExit } from "../transport/exit-hook.js";
import { guard } from "../utils/guard.js";
import { nowMs } from "../utils/time.js";

/** Work that turns ended spans and traces into payloads. */
export interface Deferred {
  runDeferred(): void;
}

interface FinalizerState {
  jobs: Deferred[];
  scheduled: boolean;
}

const state = sharedValue<FinalizerState>("finalizer", () => ({ jobs: [], scheduled: false }));

/** `deferRecording` jobs wait for a batch: at most this many, ... */
const RECORDING_BATCH = 32;
/** ... for at most this long. */
const RECORDING_DELAY_MS = 100;
/** A batch yields to the event loop after about this long (the rest runs on the next turn). */
const RECORDING_SLICE_MS = 0.25;

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
export function defer(job: Deferred): void {
  const s = state();
  s.jobs.push(job);
  scheduleDrain(s);
}

/** The next-turn drain of core's jobs. It leaves recordings to their own batch (else every drain would take them one by one). */
function scheduleDrain(s: FinalizerState): void {
  if (s.scheduled) return;
  s.scheduled = true;
  nextTurn(drainJobs);
}

function nextTurn(fn: () => void): void {
  const setImm = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  if (typeof setImm === "function") setImm(fn);
  else setTimeout(fn, 0);
}

function drainJobs(): void {
  const s = state();
  s.scheduled = false;
  if (s.jobs.length > 0) drain(s, undefined);
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
  if (r.fns.length === RECORDING_BATCH) return nextTurn(drainBatch);
  if (r.timer || r.fns.length > RECORDING_BATCH) return;
  r.timer = setTimeout(drainBatch, RECORDING_DELAY_MS);
  (r.timer as { unref?: () => void }).unref?.();
  if (!r.exitHooked) {
    // The timer does not keep the process alive: a process about to exit drains the batch first.
    r.exitHooked = true;
    registerForExit({ flushForExit: drainDeferred });
  }
}

/** Runs every queued job and recording now, in order (jobs queued while draining run too; a nested drain runs only those). */
export function drainDeferred(): void {
  const s = state();
  const r = stopBatchTimer();
  if (s.jobs.length > 0 || r.fns.length > 0) drain(s, r);
}

/** The recordings, with their batch timer stopped (whoever drains them now). */
function stopBatchTimer(): RecordingState {
  const r = recordings();
  if (r.timer) {
    clearTimeout(r.timer);
    r.timer = undefined;
  }
  return r;
}

/**
 * The batch's own drain (its timer, or 32 waiting): recordings for about RECORDING_SLICE_MS, then the jobs
 * they made; the rest continues on the next turn, so a batch never holds the event loop for long.
 */
function drainBatch(): void {
  const s = state();
  const r = stopBatchTimer();
  if (r.fns.length === 0) return;
  inDrainContext(() => {
    const fns = r.fns;
    r.fns = [];
    const deadline = nowMs() + RECORDING_SLICE_MS;
    for (let i = 0; i < fns.length; i++) {
      guard("finalize", fns[i]);
      if (i + 1 < fns.length && nowMs() >= deadline) {
        r.fns = fns.slice(i + 1).concat(r.fns);
        break;
      }
    }
    runJobs(s, undefined);
  });
  if (r.fns.length > 0) nextTurn(drainBatch);
}

/** Runs the jobs (and the recordings, when given) outside any context. */
function drain(s: FinalizerState, r: RecordingState | undefined): void {
  inDrainContext(() => runJobs(s, r));
}

/** Runs `fn` outside any trace, span, user or session. */
function inDrainContext(fn: () => void): void {
  const store = contextStore();
  // No context to leave (AsyncLocalStorage never entered): mark the drain instead of entering a
  // frame, because a first `run()` makes Node < 22 track every promise of the process from then on.
  if (store.get() === undefined) {
    const flag = drainFlag();
    const outer = flag.active;
    flag.active = true;
    try {
      fn();
    } finally {
      flag.active = outer;
    }
  } else store.run(DETACHED, fn);
}

/** Recordings first (they end spans and traces), then the jobs that serialise them, until both are empty. */
function runJobs(s: FinalizerState, r: RecordingState | undefined): void {
  while (s.jobs.length > 0 || (r && r.fns.length > 0)) {
    if (r) {
      const fns = r.fns;
      r.fns = [];
      for (let i = 0; i < fns.length; i++) guard("finalize", fns[i]);
    }
    const jobs = s.jobs;
    s.jobs = [];
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i];
      guard("finalize", () => job.runDeferred());
    }
  }
}
