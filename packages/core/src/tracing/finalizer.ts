import { shared } from "../utils/carrier.js";
import { guard } from "../utils/guard.js";

/** Work that turns ended spans and traces into payloads. */
export interface Deferred {
  runDeferred(): void;
}

interface FinalizerState {
  jobs: Deferred[];
  scheduled: boolean;
}

const state = () => shared<FinalizerState>("finalizer", () => ({ jobs: [], scheduled: false }));

/**
 * Queues `job` to run on the next turn of the event loop (one `setImmediate` for the whole batch),
 * so `span.end()` / `trace.end()` cost O(1) on the caller's path. `flush()`, `shutdown()` and
 * process exit drain the queue first, so `await flush()` right after a call still sends its trace.
 */
export function defer(job: Deferred): void {
  const s = state();
  s.jobs.push(job);
  if (s.scheduled) return;
  s.scheduled = true;
  const setImm = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  if (typeof setImm === "function") setImm(drainDeferred);
  else setTimeout(drainDeferred, 0);
}

/** Runs every queued job now, in order (jobs queued while draining run too). */
export function drainDeferred(): void {
  const s = state();
  s.scheduled = false;
  const jobs = s.jobs;
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i];
    guard("finalize", () => job.runDeferred());
  }
  jobs.length = 0;
}
