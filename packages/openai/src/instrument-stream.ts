/**
 * Observes an OpenAI `Stream` in place: the very object the SDK returned is handed back, with its
 * `iterator` factory replaced, so `for await`, `tee()`, `toReadableStream()`, `controller.abort()` and
 * the one-shot rule keep working. Only the first iteration is observed; a second one passes straight
 * through (and gets the SDK's own "consumed stream" error).
 */
import { guard } from "@pandaprobe/core";
import type { CallRecorder } from "./call-recorder.js";
import type { StreamAccumulator } from "./endpoint.js";
import { watch } from "./safety-net.js";
import type { StreamLike } from "./shapes.js";

/** Instruments `stream` for `call`. Returns false when the object is not a recognisable stream. */
export function instrumentStream(stream: StreamLike, call: CallRecorder, acc: StreamAccumulator, timeoutMs: number): boolean {
  const controller = stream.controller;
  const finish = (completed: boolean, error?: unknown) =>
    guard("openai.stream.finish", () => {
      if (call.done) return;
      const aborted = controller?.signal?.aborted === true;
      const result = acc.result(completed && !aborted);
      if (aborted) result.metadata = { ...result.metadata, stream_aborted: true };
      call.finish(error === undefined ? result : { ...result, error });
    });
  const abandon = (reason: "gc" | "timeout") => {
    if (call.done) return;
    const result = acc.result(false);
    call.finish({ ...result, metadata: { ...result.metadata, stream_abandoned: reason } });
  };

  let observed = false;
  const observe = (it: AsyncIterator<unknown>): AsyncIterator<unknown> => {
    if (observed) return it;
    observed = true;
    return observeIterator(it, call, acc, finish);
  };

  if (typeof stream.iterator === "function") {
    const original = stream.iterator;
    stream.iterator = function (this: unknown, ...args: unknown[]) {
      return observe(original.apply(this, args));
    };
  } else if (typeof stream[Symbol.asyncIterator] === "function") {
    const original = stream[Symbol.asyncIterator]!;
    Object.defineProperty(stream, Symbol.asyncIterator, {
      value: function (this: unknown) {
        return observe(original.call(this));
      },
      writable: true,
      configurable: true,
    });
  } else {
    return false;
  }
  watch(call, stream, abandon, timeoutMs);
  return true;
}

/** Wraps one async iterator: forwards every call unchanged and feeds results to the accumulator. */
function observeIterator(
  it: AsyncIterator<unknown>,
  call: CallRecorder,
  acc: StreamAccumulator,
  finish: (completed: boolean, error?: unknown) => void,
): AsyncIterator<unknown> & AsyncIterable<unknown> {
  const onResult = (r: IteratorResult<unknown>) => {
    call.reading = false;
    if (!call.done) {
      if (r.done) finish(true);
      else {
        call.lastActivity = Date.now();
        guard("openai.stream.chunk", () => acc.onChunk(r.value));
      }
    }
    return r;
  };
  const onError = (e: unknown) => {
    call.reading = false;
    finish(false, e);
    throw e;
  };
  return {
    next(...args: [] | [unknown]) {
      call.reading = true;
      return it.next(...args).then(onResult, onError);
    },
    return(value?: unknown) {
      finish(false);
      return it.return ? it.return(value) : Promise.resolve({ done: true as const, value });
    },
    throw(error?: unknown) {
      finish(false, error);
      return it.throw ? it.throw(error) : Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
