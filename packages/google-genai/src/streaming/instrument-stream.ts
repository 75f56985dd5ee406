/**
 * Observes the SDK's stream in place: `generateContentStream` resolves to an async generator (tslib's, whose
 * `next`/`return`/`throw` are own properties; or a native one) and the very same object is handed back with those
 * three methods observed, so `for await`, manual `next()` calls, `return()` on `break` and the SDK's own chat
 * history bookkeeping keep working unchanged.
 *
 * Each `next()` returns the SDK's own promise: the accumulator reads the result in a reaction registered first, so
 * it runs before the caller's and adds no promise hop to the caller's path. Reads are the call's activity for the
 * kit's stale-call sweep (a read in flight keeps it busy), and the stream is watched: a stream garbage-collected
 * unread closes its call.
 */
import { META, reportError } from "@pandaprobe/core/integration";
import type { GeminiCall } from "../call-recorder.js";
import type { StreamAccumulator } from "../endpoint.js";
import { type AnyFn, type Loose, setMethod } from "../shapes.js";

/** Instruments `stream` for `call`. Returns false when the object is not a recognisable async iterator. */
export function instrumentStream(stream: Loose, call: GeminiCall, acc: StreamAccumulator): boolean {
  const next = stream.next as AnyFn | undefined;
  if (typeof next !== "function") return false;
  const ret = stream.return as AnyFn | undefined;
  const thr = stream.throw as AnyFn | undefined;
  const kit = call.call;
  const onResult = (r: IteratorResult<unknown>) => {
    kit.busy = false;
    if (kit.ended) return;
    if (r.done) return finishStream(call, true);
    kit.touch();
    try {
      acc.onChunk(r.value);
    } catch (error) {
      reportError("google-genai.stream.chunk", error);
    }
  };
  // The caller gets the rejection from the SDK's own promise; this reaction only records it.
  const onError = (e: unknown) => {
    kit.busy = false;
    finishStream(call, false, e);
  };
  setMethod(stream, "next", function (this: unknown, value?: unknown) {
    kit.busy = true;
    // Same arity as the caller's call.
    const p = arguments.length === 0 ? next.call(this) : next.call(this, value);
    if (typeof p?.then === "function") p.then(onResult, onError);
    return p;
  });
  if (typeof ret === "function")
    setMethod(stream, "return", function (this: unknown, value?: unknown) {
      finishStream(call, false);
      return ret.call(this, value);
    });
  if (typeof thr === "function")
    setMethod(stream, "throw", function (this: unknown, error?: unknown) {
      finishStream(call, false, error);
      return thr.call(this, error);
    });
  call.acc = acc;
  kit.busy = false; // from now on, the caller's reads are the activity
  kit.watch(stream);
  return true;
}

/** Closes the stream's call with its aggregate (`completed` false after break/abort/error). */
function finishStream(call: GeminiCall, completed: boolean, error?: unknown): void {
  try {
    const acc = call.acc;
    if (call.done || !acc) return;
    const aborted = call.aborted();
    // The aggregate is assembled off the caller's path.
    call.finish(() => {
      const result = acc.result(completed && !aborted);
      if (aborted) result.metadata = { ...result.metadata, [META.STREAM_ABORTED]: true };
      return error === undefined ? result : { ...result, error };
    });
  } catch (failure) {
    reportError("google-genai.stream.finish", failure);
  }
}
