/**
 * Observes an OpenAI `Stream` in place: the very object the SDK returned is handed back, with its
 * `iterator` factory replaced, so `for await`, `tee()`, `toReadableStream()`, `controller.abort()` and
 * the one-shot rule keep working. Only the first iteration is observed; a second one passes straight
 * through (and gets the SDK's own "consumed stream" error).
 *
 * Each `next()` returns the SDK's own promise: the accumulator reads the result in a reaction
 * registered first, so it runs before the caller's and adds no promise hop to the caller's path.
 * Reads are the call's activity for the kit's stale-call sweep (a read in flight keeps it busy), and
 * the stream is watched: a stream garbage-collected unread closes its call.
 */
import { META, reportError } from "@pandaprobe/core/integration";
import type { CallRecorder } from "../call-recorder.js";
import type { StreamAccumulator } from "../endpoint.js";
import type { StreamLike } from "../shapes.js";

/** Instruments `stream` for `call`. Returns false when the object is not a recognisable stream. */
export function instrumentStream(stream: StreamLike, call: CallRecorder, acc: StreamAccumulator): boolean {
  if (typeof stream.iterator === "function") {
    stream.iterator = observeFirst(stream.iterator, call);
  } else if (typeof stream[Symbol.asyncIterator] === "function") {
    Object.defineProperty(stream, Symbol.asyncIterator, {
      value: observeFirst(stream[Symbol.asyncIterator]!, call),
      writable: true,
      configurable: true,
    });
  } else {
    return false;
  }
  call.acc = acc;
  call.controller = stream.controller;
  call.call.busy = false; // from now on, the caller's reads are the activity
  call.call.watch(stream);
  return true;
}

/** An iterator factory that observes the first iterator `factory` makes (the one-shot stream's only real one). */
function observeFirst(factory: (...args: unknown[]) => AsyncIterator<unknown>, call: CallRecorder) {
  let observed = false;
  return function (this: unknown, ...args: unknown[]): AsyncIterator<unknown> {
    const it = factory.apply(this, args);
    if (observed) return it;
    observed = true;
    return new ObservedIterator(it, call);
  };
}

/** Closes the stream's span with its aggregate (`completed` false after break/abort/error). */
function finishStream(call: CallRecorder, completed: boolean, error?: unknown): void {
  try {
    const acc = call.acc;
    if (call.done || !acc) return;
    const aborted = call.controller?.signal?.aborted === true;
    // The aggregate is assembled off the caller's path.
    call.finish(() => {
      const result = acc.result(completed && !aborted);
      if (aborted) result.metadata = { ...result.metadata, [META.STREAM_ABORTED]: true };
      return error === undefined ? result : { ...result, error };
    });
  } catch (failure) {
    reportError("openai.stream.finish", failure);
  }
}

/** Forwards every call to the SDK's iterator unchanged; results reach the accumulator on the side. */
class ObservedIterator implements AsyncIterator<unknown>, AsyncIterable<unknown> {
  // `declare`d and assigned in the constructor: no class-field [[Define]] per field, once per stream.
  declare private readonly it: AsyncIterator<unknown>;
  declare private readonly call: CallRecorder;
  declare private readonly onResult: (r: IteratorResult<unknown>) => void;
  declare private readonly onError: (e: unknown) => void;

  constructor(it: AsyncIterator<unknown>, call: CallRecorder) {
    this.it = it;
    this.call = call;
    const kit = call.call;
    this.onResult = (r) => {
      kit.busy = false;
      if (kit.ended) return;
      if (r.done) return finishStream(call, true);
      kit.touch();
      try {
        call.acc!.onChunk(r.value);
      } catch (error) {
        reportError("openai.stream.chunk", error);
      }
    };
    // The caller gets the rejection from the SDK's own promise; this reaction only records it.
    this.onError = (e) => {
      kit.busy = false;
      finishStream(call, false, e);
    };
  }

  next(value?: unknown): Promise<IteratorResult<unknown>> {
    this.call.call.busy = true;
    // Same arity as the caller's call (no per-chunk rest array).
    const p = arguments.length === 0 ? this.it.next() : this.it.next(value);
    if (typeof p?.then === "function") p.then(this.onResult, this.onError);
    return p;
  }

  return(value?: unknown): Promise<IteratorResult<unknown>> {
    finishStream(this.call, false);
    return this.it.return ? this.it.return(value) : Promise.resolve({ done: true as const, value });
  }

  throw(error?: unknown): Promise<IteratorResult<unknown>> {
    finishStream(this.call, false, error);
    return this.it.throw ? this.it.throw(error) : Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
