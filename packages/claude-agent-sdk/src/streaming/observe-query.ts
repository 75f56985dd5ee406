/**
 * Observes the SDK's own `Query` object in place: the very object `query()` returned is handed back, with its
 * iteration methods replaced on the instance (its prototype, its control methods such as `interrupt()`, and every
 * value, promise and error it gives stay the SDK's). Each read returns the SDK's own promise; the log reads the
 * result in a reaction registered before the caller's.
 *
 * - `next()` / `return()` / `throw()` called on the query, and
 * - the iterator `[Symbol.asyncIterator]()` returns (what `for await` uses: the SDK hands out its inner generator,
 *   whose `return()` a `break` calls), wrapped so its reads are seen too;
 * - `close()` and `[Symbol.asyncDispose]()` (`await using`) end the trace: the caller stops reading there.
 */
import type { QueryLog } from "../query-log.js";

type Fn = (...args: unknown[]) => unknown;
type Loose = Record<PropertyKey, unknown>;

/** Instruments `query` for `log`. Returns false when it is not a recognisable async iterator. */
export function observeQuery(query: unknown, log: QueryLog): boolean {
  if (typeof query !== "object" || query === null) return false;
  const q = query as Loose;
  const next = q.next;
  if (typeof next !== "function") return false;
  const ret = q.return as Fn | undefined;
  const thr = q.throw as Fn | undefined;
  const iter = q[Symbol.asyncIterator] as Fn | undefined;
  const close = q.close as Fn | undefined;
  const dispose = q[Symbol.asyncDispose] as Fn | undefined;

  define(q, "next", function next_(this: unknown) {
    // Same arity as the caller's call.
    return log.read(arguments.length === 0 ? next.call(this) : next.apply(this, arguments as unknown as unknown[]));
  });
  if (typeof ret === "function")
    define(q, "return", function return_(this: unknown) {
      log.finish("stopped");
      return ret.apply(this, arguments as unknown as unknown[]);
    });
  if (typeof thr === "function")
    define(q, "throw", function throw_(this: unknown, error?: unknown) {
      log.finish("error", error);
      return thr.apply(this, arguments as unknown as unknown[]);
    });
  if (typeof iter === "function")
    define(q, Symbol.asyncIterator, function asyncIterator(this: unknown) {
      const it = iter.call(this) as AsyncIterator<unknown>;
      // An iterator that is the query itself reads through the patched methods above.
      return it === this || typeof it?.next !== "function" ? it : new ObservedIterator(it, log);
    });
  if (typeof close === "function")
    define(q, "close", function close_(this: unknown) {
      log.finish("stopped");
      return close.apply(this, arguments as unknown as unknown[]);
    });
  if (typeof dispose === "function")
    define(q, Symbol.asyncDispose, function asyncDispose(this: unknown) {
      log.finish("stopped");
      return dispose.apply(this, arguments as unknown as unknown[]);
    });
  return true;
}

function define(target: object, key: PropertyKey, value: Fn): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false });
}

/** Forwards every call to the SDK's iterator unchanged; results reach the log on the side. */
class ObservedIterator implements AsyncIterator<unknown>, AsyncIterable<unknown> {
  declare private readonly it: AsyncIterator<unknown>;
  declare private readonly log: QueryLog;

  constructor(it: AsyncIterator<unknown>, log: QueryLog) {
    this.it = it;
    this.log = log;
  }

  next(value?: unknown): Promise<IteratorResult<unknown>> {
    return this.log.read(arguments.length === 0 ? this.it.next() : this.it.next(value));
  }

  return(value?: unknown): Promise<IteratorResult<unknown>> {
    this.log.finish("stopped");
    return this.it.return ? this.it.return(value) : Promise.resolve({ done: true as const, value });
  }

  throw(error?: unknown): Promise<IteratorResult<unknown>> {
    this.log.finish("error", error);
    return this.it.throw ? this.it.throw(error) : Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
