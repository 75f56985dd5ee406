/**
 * Observes a provider SDK's stream in place, for a `ModelCall`: the caller gets the very object the SDK returned,
 * and the very iterators it makes, with their reading methods replaced on the instance by ones that forward every
 * call unchanged (same `this`, same arguments, the SDK's own promise returned). Nothing is read ahead or buffered:
 * each chunk reaches the call's accumulator when the caller's read resolves, in a reaction registered before the
 * caller's (no extra promise hop on their path). Reads are the call's activity for the stale-call sweep (a read in
 * flight keeps it busy); the stream is watched, so a stream garbage-collected unread closes its call.
 */
import { reportInternal } from "../utils/guard.js";
import type { ModelCall, StreamAccumulator } from "./model-call.js";
import { setMethod } from "./patch.js";
import { type AnyFn, isLoose, type Loose } from "./values.js";

/**
 * Where every consumer of one stream reports: each read's answer, and how the stream stopped. Making one starts the
 * observation of `stream` for `call`: its accumulator is `acc`, and from now on the caller's reads are the activity.
 */
// Fields are `declare`d and assigned in the constructor: no class-field [[Define]] per field, once per stream.
export class StreamObservation {
  declare readonly call: ModelCall;
  declare private readonly onResult: (r: IteratorResult<unknown>) => void;
  declare private readonly onError: (e: unknown) => void;

  constructor(stream: object, call: ModelCall, acc: StreamAccumulator) {
    this.call = call;
    const kit = call.call;
    this.onResult = (r) => {
      kit.busy = false;
      if (kit.ended || !isLoose(r)) return;
      if (r.done) return call.stopStream(true);
      kit.touch();
      try {
        if (call.acc?.add(r.value)) call.firstToken();
      } catch (error) {
        reportInternal(`${kit.integrationName}.stream.chunk`, error);
      }
    };
    // The caller gets the rejection from the SDK's own promise; this reaction only records it.
    this.onError = (e) => {
      kit.busy = false;
      call.stopStream(false, e);
    };
    call.acc = acc;
    kit.busy = false; // from now on, the caller's reads are the activity
    kit.watch(stream);
  }

  /** A read is in flight: `read` is the SDK's promise of its answer (`next()`, `reader.read()`). */
  read(read: unknown): void {
    if (this.call.done || typeof (read as PromiseLike<unknown> | undefined)?.then !== "function") return;
    this.call.call.busy = true;
    (read as PromiseLike<IteratorResult<unknown>>).then(this.onResult, this.onError);
  }

  /** The caller stopped reading (`return()`, `cancel()`), or threw `error` into the iterator. */
  stop(error?: unknown): void {
    this.call.stopStream(false, error);
  }
}

/** Forwards a call to the SDK's own method with the caller's `this` and arguments, as they are. */
const forward = (fn: AnyFn, self: unknown, args: IArguments) => fn.apply(self, args as unknown as unknown[]);

/**
 * Observes an async iterator in place: its `next`, `return` and `throw` are replaced on the instance (an own method by
 * assignment, its attributes kept; an inherited one by a hidden own property) by ones with the same names that
 * report to `observation`. False when `it` has no `next`.
 */
export function observeIteratorMethods(it: Loose, observation: StreamObservation): boolean {
  const { next, return: ret, throw: thr } = it as Record<string, AnyFn | undefined>;
  if (typeof next !== "function") return false;
  // Method shorthand: the replacements have the SDK's names and, like native methods, are not constructors.
  const observed = {
    next(this: unknown) {
      // The same arity as the caller's call (no per-chunk rest array).
      const p = arguments.length === 0 ? next.call(this) : forward(next, this, arguments);
      observation.read(p);
      return p;
    },
    return(this: unknown) {
      observation.stop();
      return forward(ret!, this, arguments);
    },
    throw(this: unknown, error?: unknown) {
      observation.stop(error);
      return forward(thr!, this, arguments);
    },
  };
  setMethod(it, "next", observed.next);
  if (typeof ret === "function") setMethod(it, "return", observed.return);
  if (typeof thr === "function") setMethod(it, "throw", observed.throw);
  return true;
}

/**
 * Observes a stream that is itself an async iterator (an async generator the SDK resolves to) for `call`. False when
 * it is not one (nothing is changed).
 */
export function observeIterator(stream: unknown, call: ModelCall, acc: StreamAccumulator): boolean {
  if (!isLoose(stream) || typeof stream.next !== "function") return false;
  return observeIteratorMethods(stream, new StreamObservation(stream, call, acc));
}

/**
 * Observes an async iterable stream for `call`: its iterator factory (`stream[key]`, default `Symbol.asyncIterator`;
 * an SDK's own factory property such as the Stainless `Stream`'s `iterator`) is replaced by one whose first iterator
 * is observed in place (`observeIteratorMethods`): the one-shot stream's only real one; a second iteration passes
 * straight through (and gets the SDK's own answer). The property keeps its attributes. False when the stream has no
 * such factory or cannot be changed (frozen): the caller then gets it untouched.
 */
export function observeIterable(
  stream: unknown,
  call: ModelCall,
  acc: StreamAccumulator,
  key: PropertyKey = Symbol.asyncIterator,
): boolean {
  if (typeof stream !== "object" || stream === null || !Object.isExtensible(stream)) return false;
  const factory = (stream as Record<PropertyKey, unknown>)[key];
  if (typeof factory !== "function") return false;
  const own = Object.getOwnPropertyDescriptor(stream, key);
  if (own && !own.writable && !own.configurable) return false;
  const observation = new StreamObservation(stream, call, acc);
  let first = true;
  const observed = function (this: unknown) {
    const it: unknown = forward(factory as AnyFn, this, arguments);
    if (first && isLoose(it)) {
      first = false;
      try {
        observeIteratorMethods(it, observation);
      } catch (error) {
        reportInternal(`${call.call.integrationName}.stream.observe`, error);
      }
    }
    return it;
  };
  if (own?.writable) (stream as Record<PropertyKey, unknown>)[key] = observed;
  else {
    Object.defineProperty(stream, key, {
      value: observed,
      writable: own ? own.writable === true : true,
      enumerable: own ? own.enumerable === true : false,
      configurable: true,
    });
  }
  return true;
}
