/**
 * Observes the SDK's `Stream` in place: the object `create({ stream: true })` returned is handed back as it is, with
 * its iterator factory replaced, so `for await`, `tee()`, `toReadableStream()`, `controller.abort()`, the one-shot
 * rule and the `messages.stream()` helper (which iterates it) keep working. Only the first iteration is observed; a
 * second one passes straight through (and gets the SDK's own "consumed stream" error).
 *
 * Each `next()` returns the SDK's own promise; the accumulator reads the result in a reaction registered first, so
 * it runs before the caller's and adds no promise hop to the caller's path. Reads are the call's activity for the
 * kit's stale-call sweep (a read in flight keeps it busy), and the stream is watched: a stream garbage-collected
 * unread closes its call.
 */
import { META, reportError } from "@pandaprobe/core/integration";
import type { CallRecorder } from "../call-recorder.js";
import type { StreamAccumulator } from "../endpoint.js";
import type { StreamLike } from "../shapes.js";

type IteratorFactory = (...args: unknown[]) => AsyncIterator<unknown>;

/** Instruments `stream` for `call`. False when the object is not a recognisable stream. */
export function instrumentStream(stream: StreamLike, call: CallRecorder, acc: StreamAccumulator): boolean {
  const own = stream.iterator;
  if (typeof own === "function") stream.iterator = firstObserved(own, call);
  else {
    const iterate = stream[Symbol.asyncIterator];
    if (typeof iterate !== "function") return false;
    Object.defineProperty(stream, Symbol.asyncIterator, {
      value: firstObserved(iterate, call),
      writable: true,
      configurable: true,
    });
  }
  call.acc = acc;
  call.controller = stream.controller;
  call.call.busy = false; // from now on, the caller's reads are the activity
  call.call.watch(stream);
  return true;
}

/** An iterator factory whose first iterator (the one-shot stream's only real one) is observed. */
function firstObserved(factory: IteratorFactory, call: CallRecorder): IteratorFactory {
  let first = true;
  return function (this: unknown, ...args: unknown[]): AsyncIterator<unknown> {
    const it = factory.apply(this, args);
    if (!first) return it;
    first = false;
    return new Observed(it, call);
  };
}

/** Ends the call with the stream's aggregate (built off the caller's path); `completed` is false after break/abort/error. */
function stop(call: CallRecorder, completed: boolean, error?: unknown): void {
  try {
    const acc = call.acc;
    if (call.done || !acc) return;
    const aborted = call.controller?.signal?.aborted === true;
    call.finish(() => {
      const result = acc.result(completed && !aborted);
      if (aborted) result.metadata = { ...result.metadata, [META.STREAM_ABORTED]: true };
      if (error !== undefined) result.error = error;
      return result;
    });
  } catch (failure) {
    reportError("anthropic.stream.stop", failure);
  }
}

/** Forwards every call to the SDK's iterator unchanged; results reach the accumulator on the side. */
class Observed implements AsyncIterator<unknown> {
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
      if (r.done) return stop(call, true);
      kit.touch();
      try {
        call.acc?.onEvent(r.value);
      } catch (error) {
        reportError("anthropic.stream.event", error);
      }
    };
    // The caller gets the rejection from the SDK's own promise; this reaction only records it.
    this.onError = (e) => {
      kit.busy = false;
      stop(call, false, e);
    };
  }

  next(value?: unknown): Promise<IteratorResult<unknown>> {
    this.call.call.busy = true;
    // Same arity as the caller's call (no rest array per event).
    const p = arguments.length === 0 ? this.it.next() : this.it.next(value);
    if (typeof p?.then === "function") p.then(this.onResult, this.onError);
    return p;
  }

  return(value?: unknown): Promise<IteratorResult<unknown>> {
    stop(this.call, false);
    return this.it.return ? this.it.return(value) : Promise.resolve({ done: true as const, value });
  }

  throw(error?: unknown): Promise<IteratorResult<unknown>> {
    stop(this.call, false, error);
    return this.it.throw ? this.it.throw(error) : Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
