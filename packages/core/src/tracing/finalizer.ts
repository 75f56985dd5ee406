import { contextStore, DETACHED, drainFlag } from "../context/frame.js";
import { registerForExit } from "../transport/exit-hook.js";
import { sharedValue } from "../utils/carrier.js";
import { reportInternal } from "../utils/guard.js";
import { nowMs } from "../utils/time.js";
import type { TraceSink } from "./sink.js";

/** Work that turns ended spans and traces into payloads. */
export interface Deferred {
  /** Runs the work. Expected not to throw; if it does, `deferredFailed` is called with the error. */
  runDeferred(): void;
  /** The work threw: count what it loses. */
  deferredFailed(error: unknown): void;
  /** True once the work was given up while still queued (its turn does nothing). */
  readonly released: boolean;
}

interface FinalizerState {
  jobs: Deferred[];
  scheduled: boolean;
  /** Released jobs still in `jobs` (dropped in a burst): compacted away when many. */
  dead: number;
}

const state = sharedValue<FinalizerState>("finalizer", () => ({ jobs: [], scheduled: false, dead: 0 }));

/** `deferRecording` jobs wait for a batch: at most this many, ... */
const RECORDING_BATCH = 32;
/** ... for at most this long. */
const RECORDING_DELAY_MS = 100;
/** A batch yields to the event loop after about this long (the rest runs on the next turn). */
const RECORDING_SLICE_MS = 0.25;
/**
 * Recordings waiting at most: beyond, a synchronous burst runs them at once, on the caller's path (they end their
 * traces, which are then bounded by their client's caps), instead of holding an unbounded list of closures.
 */
const RECORDING_MAX = 1024;
/** Released jobs tolerated in the queue before it is compacted. */
const DEAD_MAX = 256;

interface RecordingState {
  fns: Array<() => void>;
  /** The client each recording is for (parallel to `fns`), charged with the loss when one throws. */
  sinks: Array<TraceSink | undefined>;
  timer: ReturnType<typeof setTimeout> | undefined;
  exitHooked: boolean;
}

const recordings = sharedValue<RecordingState>("recordings", () => ({
  fns: [],
  sinks: [],
  timer: undefined,
  exitHooked: false,
}));

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

/** A queued job was released (its trace dropped in a burst): compacts the queue when many are. */
export function jobReleased(): void {
  const s = state();
  if (++s.dead > DEAD_MAX && s.dead * 2 > s.jobs.length) {
    s.jobs = s.jobs.filter((j) => !j.released);
    s.dead = 0;
  }
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
 * Runs `fn` off the caller's path, batched with other recordings (see `deferRecording`). `sink` is the client the
 * recording is for: if `fn` throws, the loss is counted there (`recording_failed`) and reported.
 */
export function deferRecordingFor(fn: () => void, sink: TraceSink | undefined): void {
  if (typeof fn !== "function") return;
  const r = recordings();
  r.fns.push(fn);
  r.sinks.push(sink);
  const n = r.fns.length;
  if (n >= RECORDING_MAX) return drainDeferred();
  if (n === RECORDING_BATCH) return nextTurn(drainBatch);
  if (r.timer || n > RECORDING_BATCH) return;
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
    const { fns, sinks } = r;
    r.fns = [];
    r.sinks = [];
    const deadline = nowMs() + RECORDING_SLICE_MS;
    for (let i = 0; i < fns.length; i++) {
      record(fns[i]!, sinks[i]);
      if (i + 1 < fns.length && nowMs() >= deadline) {
        r.fns = fns.slice(i + 1).concat(r.fns);
        r.sinks = sinks.slice(i + 1).concat(r.sinks);
        break;
      }
    }
    runJobs(s, undefined);
  });
  if (r.fns.length > 0) nextTurn(drainBatch);
}

/** Runs one recording; one that throws is reported, and counted as a lost recording on its client. */
function record(fn: () => void, sink: TraceSink | undefined): void {
  try {
    fn();
  } catch (error) {
    reportInternal("recording", error);
    try {
      sink?.traceDropped(undefined, "recording_failed", error);
    } catch {
      /* counting must never break the drain */
    }
  }
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
      const { fns, sinks } = r;
      r.fns = [];
      r.sinks = [];
      for (let i = 0; i < fns.length; i++) record(fns[i]!, sinks[i]);
    }
    const jobs = s.jobs;
    s.jobs = [];
    s.dead = 0;
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i]!;
      if (job.released) continue;
      try {
        job.runDeferred();
      } catch (error) {
        reportInternal("finalize", error);
        try {
          job.deferredFailed(error);
        } catch {
          /* counting must never break the drain */
        }
      }
    }
  }
}
