import type { TraceSink } from "./sink.js";

interface Budget {
  items: number;
  chars: number;
}

/** Per client: traces ended and waiting for the next drain to serialise them. */
const budgets = new WeakMap<TraceSink, Budget>();

/**
 * Admits a trace of about `chars` characters to wait for the next drain, within its client's queue caps
 * (`maxQueueSize` traces, `maxQueueBytes` characters): a synchronous burst cannot hold more unrecorded traces than the
 * queue could hold recorded ones. False when it does not fit (the caller drops it, counted as `recording_overflow`).
 */
export function admitWaiting(sink: TraceSink, chars: number): boolean {
  let b = budgets.get(sink);
  if (!b) budgets.set(sink, (b = { items: 0, chars: 0 }));
  const { maxQueueSize, maxQueueBytes } = sink.config;
  if (b.items + 1 > maxQueueSize || (b.items > 0 && b.chars + chars > maxQueueBytes)) return false;
  b.items++;
  b.chars += chars;
  return true;
}

/** An admitted trace left the waiting room (serialised and queued, or dropped). */
export function leaveWaiting(sink: TraceSink, chars: number): void {
  const b = budgets.get(sink);
  if (!b) return;
  b.items = Math.max(0, b.items - 1);
  b.chars = Math.max(0, b.chars - chars);
}
