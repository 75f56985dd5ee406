import { contextStore, type Frame } from "../context/frame.js";
import { openAsyncScope, scopesEndAtAwait } from "../context/no-async-context.js";

/** How much of a generator's yielded output is kept for the trace (the serialiser caps fields again). */
const MAX_ITEMS = 10_000;
const MAX_CHARS = 1_000_000;

/**
 * @internal Runs `fn` inside `frame` and calls `onOk`/`onErr` once it has settled, returning exactly what `fn`
 * returned (the same promise object, so subclasses like OpenAI's APIPromise keep their methods) and re-throwing
 * exactly what it threw.
 *
 * A generator (sync or async, e.g. an `async function*` that streams a reply) settles when it is done, not when it
 * is created: it is handed back as a generator of the same kind and prototype whose every step runs inside `frame`,
 * so spans and wrapped calls made in its body nest here. `onOk` gets its return value, or else (with `collect`) what
 * it yielded: the strings joined, or the values as an array. A consumer that stops early (`break`) settles it too.
 */
export function runSettled<T>(
  frame: Frame,
  fn: () => T,
  onOk: (value: unknown) => void,
  onErr: (error: unknown) => void,
  collect = false,
): T {
  let result: T;
  try {
    result = contextStore().run(frame, fn);
  } catch (error) {
    onErr(error);
    throw error;
  }
  if (result !== null && typeof result === "object") {
    if (typeof (result as { then?: unknown }).then === "function") {
      if (scopesEndAtAwait()) {
        // No AsyncLocalStorage: the scope ended with the synchronous part; count the callback as running, so a
        // span that lands outside any trace meanwhile is reported (see context/no-async-context).
        const close = openAsyncScope("traces");
        const ok = onOk;
        const err = onErr;
        onOk = (v) => (close(), ok(v));
        onErr = (e) => (close(), err(e));
      }
      try {
        (result as unknown as PromiseLike<unknown>).then(onOk, onErr);
      } catch (error) {
        onErr(error);
      }
      return result;
    }
    const tag = (result as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag];
    if (
      (tag === "AsyncGenerator" || tag === "Generator") &&
      typeof (result as { next?: unknown }).next === "function"
    ) {
      return steppedInFrame(
        result as unknown as Gen,
        tag === "AsyncGenerator",
        frame,
        onOk,
        onErr,
        collect,
      ) as unknown as T;
    }
  }
  onOk(result);
  return result;
}

type Step = IteratorResult<unknown, unknown>;
interface Gen {
  next(value?: unknown): Step | Promise<Step>;
  return(value?: unknown): Step | Promise<Step>;
  throw(error?: unknown): Step | Promise<Step>;
}

/** A generator object with `gen`'s prototype whose `next`/`return`/`throw` run `gen`'s in `frame` and watch for its end. */
function steppedInFrame(
  gen: Gen,
  isAsync: boolean,
  frame: Frame,
  onOk: (value: unknown) => void,
  onErr: (error: unknown) => void,
  collect: boolean,
): Gen {
  let settled = false;
  let items: unknown[] | undefined = collect ? [] : undefined;
  let chars = 0;
  const finish = (ok: boolean, value: unknown) => {
    if (settled) return;
    settled = true;
    if (!ok) return onErr(value);
    if (value !== undefined || !items) return onOk(value);
    const kept = items;
    items = undefined;
    onOk(kept.length > 0 && kept.every((v) => typeof v === "string") ? kept.join("") : kept);
  };
  const observe = (r: Step) => {
    if (r.done) return finish(true, r.value);
    if (!items) return;
    if (items.length >= MAX_ITEMS || chars >= MAX_CHARS) {
      items.push("…[truncated: the generator yielded more]");
      items = undefined;
      return;
    }
    items.push(r.value);
    if (typeof r.value === "string") chars += r.value.length;
  };
  const step = (op: "next" | "return" | "throw", arg: unknown): Step | Promise<Step> => {
    let r: Step | Promise<Step>;
    try {
      r = contextStore().run(frame, () => gen[op](arg));
    } catch (error) {
      finish(false, error);
      throw error;
    }
    if (isAsync && r && typeof (r as Promise<Step>).then === "function") {
      // The generator's own promise goes back to the caller (no added hop); the end is watched on the side.
      (r as Promise<Step>).then(
        (s) => (settled ? undefined : observeOrStop(op, s)),
        (error) => finish(false, error),
      );
    } else if (!settled) observeOrStop(op, r as Step);
    return r;
  };
  // A `return()` that ends the generator: its output is what was yielded so far, not the consumer's return value.
  const observeOrStop = (op: "next" | "return" | "throw", s: Step) =>
    op === "return" && s?.done ? finish(true, items ? undefined : s.value) : observe(s);
  return Object.create(Object.getPrototypeOf(gen) as object, {
    next: { value: (value?: unknown) => step("next", value), writable: true, configurable: true },
    return: { value: (value?: unknown) => step("return", value), writable: true, configurable: true },
    throw: { value: (error?: unknown) => step("throw", error), writable: true, configurable: true },
  }) as Gen;
}
