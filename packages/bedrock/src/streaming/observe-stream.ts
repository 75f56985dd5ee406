/**
 * Observes a Bedrock event stream in place: the very object the SDK put in the output (`output.stream`,
 * `output.body`) stays there, with its `Symbol.asyncIterator` replaced by one that observes the first iterator it
 * makes; that iterator is the SDK's own async generator, with `next`/`return`/`throw` observed as own properties
 * (same prototype, same `toString` tag). Nothing is read ahead or buffered: each event reaches the aggregate when the
 * caller's `next()` resolves, in a reaction registered before the caller's (no extra promise hop on their path).
 * Reads are the call's activity for the kit's stale-call sweep (a read in flight keeps it busy), and the stream is
 * watched: a stream garbage-collected unread closes its call.
 */
import { META, reportError } from "@pandaprobe/core/integration";
import type { BedrockCall } from "../bedrock-call.js";
import type { StreamAccumulator } from "../call-result.js";

type IteratorFactory = (this: unknown, ...args: unknown[]) => AsyncIterator<unknown>;

/**
 * Instruments `stream` for `call`. False when it is not an async iterable object, or one that cannot be changed
 * (frozen): the caller gets it untouched and the call ends at once.
 */
export function observeStream(stream: unknown, call: BedrockCall, acc: StreamAccumulator): boolean {
  if (typeof stream !== "object" || stream === null) return false;
  const factory = (stream as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator];
  if (typeof factory !== "function" || !Object.isExtensible(stream)) return false;
  const own = Object.getOwnPropertyDescriptor(stream, Symbol.asyncIterator);
  let observed = false;
  Object.defineProperty(stream, Symbol.asyncIterator, {
    value: function (this: unknown, ...args: unknown[]) {
      const it = (factory as IteratorFactory).apply(this, args);
      if (!observed) {
        observed = true;
        try {
          observeIterator(it, call);
        } catch (error) {
          reportError("bedrock.stream.observe", error);
        }
      }
      return it;
    },
    writable: own ? own.writable !== false : true,
    enumerable: own ? own.enumerable === true : false,
    configurable: true,
  });
  call.acc = acc;
  call.call.busy = false; // from now on, the caller's reads are the activity
  call.call.watch(stream);
  return true;
}

/** Closes the stream's span with its aggregate (`completed` false after break, abort or error). */
function finishStream(call: BedrockCall, completed: boolean, error?: unknown): void {
  try {
    const acc = call.acc;
    if (call.done || !acc) return;
    const aborted = call.signal?.aborted === true;
    // The aggregate is assembled off the caller's path.
    call.finish(() => {
      const result = acc.result(completed && !aborted);
      if (aborted) result.metadata = { ...result.metadata, [META.STREAM_ABORTED]: true };
      return error === undefined ? result : { ...result, error };
    });
  } catch (failure) {
    reportError("bedrock.stream.finish", failure);
  }
}

/** Observes the SDK's iterator in place: its `next`, `return` and `throw` forward every call unchanged. */
function observeIterator(it: AsyncIterator<unknown>, call: BedrockCall): void {
  const kit = call.call;
  const next = it.next;
  const onResult = (r: IteratorResult<unknown>) => {
    kit.busy = false;
    if (kit.ended) return;
    if (r.done) return finishStream(call, true);
    kit.touch();
    try {
      if (call.acc!.add(r.value)) call.firstToken();
    } catch (error) {
      reportError("bedrock.stream.event", error);
    }
  };
  // The caller gets the rejection from the SDK's own promise; this reaction only records it.
  const onError = (e: unknown) => {
    kit.busy = false;
    finishStream(call, false, e);
  };
  define(it, "next", function (this: unknown, value?: unknown) {
    kit.busy = true;
    // Same arity as the caller's call.
    const p = arguments.length === 0 ? next.call(this) : next.call(this, value);
    if (typeof p?.then === "function") p.then(onResult, onError);
    return p;
  });
  const ret = it.return;
  if (typeof ret === "function") {
    define(it, "return", function (this: unknown, value?: unknown) {
      finishStream(call, false);
      return ret.call(this, value);
    });
  }
  const thr = it.throw;
  if (typeof thr === "function") {
    define(it, "throw", function (this: unknown, error?: unknown) {
      finishStream(call, false, error);
      return thr.call(this, error);
    });
  }
}

function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false });
}
