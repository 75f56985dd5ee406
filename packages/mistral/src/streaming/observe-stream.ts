/**
 * Observes the SDK's `EventStream` in place: the caller gets the very object the SDK returned, its class, own
 * properties and behaviour unchanged. Only its prototype is swapped for one derived from its own (made once per
 * class) whose reading methods also report to the call:
 *
 * - 1.10 and later: `EventStream extends ReadableStream`. `for await` / `values()` iterators and `getReader()`
 *   readers are the SDK's own, their `next`/`read` answers reaching the aggregate in a reaction registered before
 *   the caller's; `return()`/`cancel()` stop the call. `tee()`, `pipeTo()` and `pipeThrough()` run the platform's
 *   own algorithms on a pass-through view (high-water mark 0: no read-ahead, same backpressure, errors and
 *   cancellation) that reads the stream through an observed reader.
 * - Before 1.10: a plain class whose async generator `[Symbol.asyncIterator]` is the only way to read it.
 *
 * Every consumer reports to one observation per stream (the kit's `StreamObservation`); what arrives after the call ended is ignored. Reads are
 * the call's activity for the kit's stale-call sweep (a read in flight keeps it busy), and the stream is watched:
 * a stream garbage-collected unread closes its call.
 */
import {
  type AnyFn,
  isLoose,
  type Loose,
  observeIteratorMethods,
  reportError,
  type StreamAccumulator,
  StreamObservation,
} from "@pandaprobe/core/integration";
import type { TracedCall } from "../traced-call.js";

/** The observation of each instrumented stream. */
const observations = new WeakMap<object, StreamObservation>();
/** The derived prototype of each stream class seen. */
const derived = new WeakMap<object, object>();
/** Set while the SDK's own iterator factory runs: a reader it takes for the iterator is not observed twice. */
let iterating = false;

/** Observes `stream` for `call`; false when it is not a stream this package can read. */
export function observeEventStream(stream: unknown, call: TracedCall, acc: StreamAccumulator): boolean {
  if (!isLoose(stream) || typeof stream[Symbol.asyncIterator as unknown as string] !== "function") return false;
  const base = Object.getPrototypeOf(stream) as Loose | null;
  if (!base || observations.has(stream)) return false;
  let proto = derived.get(base);
  if (!proto) derived.set(base, (proto = observedPrototype(base)));
  if (!Reflect.setPrototypeOf(stream, proto)) return false; // a frozen stream stays as it is, untraced
  observations.set(stream, new StreamObservation(stream, call, acc));
  return true;
}

/** Forwards a call to the SDK's or the platform's own method with the caller's arguments, as they are. */
const forward = (fn: AnyFn, self: unknown, args: IArguments) => fn.apply(self, args as unknown as unknown[]);

/** The prototype that observes streams of class `base`: only the reading methods `base` has are overridden. */
function observedPrototype(base: Loose): object {
  const iterate = base[Symbol.asyncIterator as unknown as string] as AnyFn;
  const { values, getReader, tee, pipeTo, pipeThrough, cancel } = base as Record<string, AnyFn>;
  // Method shorthand: the overrides have the SDK's names and, like the platform's methods, are not constructors.
  const overrides: Record<string | symbol, AnyFn> = {
    [Symbol.asyncIterator]() {
      return observedIterator(this, iterate, arguments);
    },
    values() {
      return observedIterator(this, values, arguments);
    },
    getReader() {
      const reader = forward(getReader, this, arguments);
      const observation = iterating ? undefined : observations.get(this);
      if (observation) guardObserve(() => observeReader(reader, observation));
      return reader;
    },
    tee() {
      return forward(tee, throughView(this, getReader), arguments);
    },
    pipeTo() {
      return forward(pipeTo, throughView(this, getReader), arguments);
    },
    pipeThrough() {
      return forward(pipeThrough, throughView(this, getReader), arguments);
    },
    cancel() {
      // An unlocked stream is cancelled now; a locked one rejects, and its reader goes on.
      if ((this as Loose).locked === false) observations.get(this)?.stop();
      return forward(cancel, this, arguments);
    },
  };
  const props: PropertyDescriptorMap = {};
  for (const key of Reflect.ownKeys(overrides)) {
    if (typeof base[key as string] !== "function") continue;
    if ((key === "tee" || key === "pipeTo" || key === "pipeThrough") && typeof getReader !== "function") continue;
    props[key] = { value: overrides[key as string], writable: true, configurable: true };
  }
  return Object.create(base, props);
}

/** `[Symbol.asyncIterator]` / `values`: the SDK's own iterator, its `next`/`return`/`throw` observed. */
function observedIterator(stream: object, factory: AnyFn, args: IArguments): unknown {
  let it: unknown;
  iterating = true;
  try {
    it = forward(factory, stream, args);
  } finally {
    iterating = false;
  }
  const observation = observations.get(stream);
  if (observation && isLoose(it)) guardObserve(() => observeIteratorMethods(it as Loose, observation));
  return it;
}

/**
 * What `tee()`, `pipeTo()` and `pipeThrough()` run the platform's algorithm on: a view of the stream that reads it
 * through an observed reader; the stream itself when it is locked (the platform's own error) or its call has ended.
 */
function throughView(stream: Loose, getReader: AnyFn): object {
  const observation = observations.get(stream);
  if (!observation || observation.call.done || stream.locked !== false) return stream;
  try {
    return view(getReader.call(stream), observation);
  } catch (error) {
    reportError("mistral.stream.view", error);
    return stream;
  }
}

/**
 * A pass-through `ReadableStream` over `reader` (which it observes), pulled only when its own reader reads: the
 * stream's backpressure, errors and cancellation are the view's. The reader is released when the stream stops, as
 * the platform's `pipeTo` releases its own.
 */
function view(reader: Loose, observation: StreamObservation): ReadableStream<unknown> {
  observeReader(reader, observation);
  const release = () => {
    try {
      reader.releaseLock();
    } catch {
      // already released
    }
  };
  return new ReadableStream<unknown>(
    {
      pull: (controller) =>
        reader.read().then(
          (r: IteratorResult<unknown>) => {
            if (!r.done) return controller.enqueue(r.value);
            release();
            controller.close();
          },
          (error: unknown) => {
            release();
            throw error;
          },
        ),
      cancel: (reason) => {
        const cancelled = reader.cancel(reason);
        cancelled.then(release, release);
        return cancelled;
      },
    },
    { highWaterMark: 0 },
  );
}

/** Observes a reader of the stream in place: `read()` answers reach the aggregate, `cancel()` stops the call. */
function observeReader(reader: Loose, observation: StreamObservation): void {
  const { read, cancel } = reader as Record<string, AnyFn | undefined>;
  if (typeof read !== "function") return;
  const observed = {
    read(this: unknown) {
      const p = forward(read, this, arguments);
      observation.read(p);
      return p;
    },
    cancel(this: unknown) {
      observation.stop();
      return forward(cancel!, this, arguments);
    },
  };
  reader.read = observed.read;
  if (typeof cancel === "function") reader.cancel = observed.cancel;
}

function guardObserve(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    reportError("mistral.stream.observe", error);
  }
}
