/**
 * The replacement of a provider SDK's model method: the same scaffolding for every wrapper (start a call, call the
 * SDK with the caller's own `this` and arguments, hand the caller what the SDK returned, observed). On this path
 * failures are caught with `try`/`reportError` rather than `guard(closure)`: every call runs it, cold after a
 * network wait, where each extra closure shows in the caller's time.
 */
import { reportInternal } from "../utils/guard.js";
import type { Integration } from "./integration.js";
import { META } from "./metadata-keys.js";
import type { ModelCall } from "./model-call.js";
import type { AnyFn } from "./values.js";

/** What a traced method does for each call (see `tracedMethod`). */
export interface TracedMethod<C extends ModelCall> {
  /** The integration whose calls these are (its name labels the internal errors reported). */
  integration: Integration;
  /** The call for the caller's arguments (`startModelCall`), or undefined to let it through untouched. */
  start(args: unknown[]): C | undefined;
  /** The arguments the SDK is called with, for a traced call (default: the caller's own). */
  send?(args: unknown[], call: C): unknown[];
  /**
   * Observes what the SDK returned and returns what the caller gets: that very object (observed in place), or one
   * that settles exactly as it does. Undefined when it cannot be observed: the caller then gets the SDK's result
   * and the call ends at once (`pandaprobe_untraced_result`).
   */
  observe(result: unknown, call: C): unknown;
}

/**
 * `original` traced: each call starts a model call (`method.start`), calls `original` with the caller's `this` and
 * arguments, and returns what `method.observe` makes of the SDK's result. A synchronous throw is recorded and
 * rethrown as it is; failures of the instrumentation never reach the caller.
 */
export function tracedMethod<C extends ModelCall>(original: AnyFn, method: TracedMethod<C>): AnyFn {
  const name = method.integration.name;
  return function (this: unknown, ...args: unknown[]) {
    let call: C | undefined;
    try {
      call = method.start(args);
    } catch (error) {
      reportInternal(`${name}.start`, error);
    }
    if (!call) return original.apply(this, args);
    let sent = args;
    if (method.send) {
      try {
        sent = method.send(args, call);
      } catch (error) {
        reportInternal(`${name}.send`, error);
      }
    }
    let result: unknown;
    try {
      result = original.apply(this, sent);
    } catch (error) {
      try {
        call.fail(error);
      } catch (failure) {
        reportInternal(`${name}.sync-error`, failure);
      }
      throw error;
    }
    try {
      const observed = method.observe(result, call);
      if (observed !== undefined) return observed;
    } catch (error) {
      reportInternal(`${name}.instrument`, error);
    }
    try {
      call.finish({ metadata: { [META.UNTRACED_RESULT]: true } });
    } catch (error) {
      reportInternal(`${name}.untraced`, error);
    }
    return result;
  };
}

/** `onValue` for the call, in a reaction: a failure of the recording ends the call as `pandaprobe_result_error`. */
function settle<C extends ModelCall>(value: unknown, call: C, onValue: (value: unknown, call: C) => void): void {
  call.call.busy = false;
  if (call.done) return;
  try {
    onValue(value, call);
  } catch (error) {
    reportInternal(`${call.call.integrationName}.result`, error);
    try {
      call.finish({ metadata: { [META.RESULT_ERROR]: true } });
    } catch {
      // reported above
    }
  }
}

/** A rejection, in a reaction: the call fails with the error the caller receives. */
function reject(error: unknown, call: ModelCall): void {
  try {
    call.fail(error);
  } catch (failure) {
    reportInternal(`${call.call.integrationName}.error`, failure);
  }
}

/**
 * Observes a plain promise the SDK returned: `onValue` reads its value in a reaction that runs before the caller's
 * (it records the result, or observes a stream before the caller sees it), a rejection fails the call. Returns the
 * promise the caller gets: it settles exactly as the SDK's (same value, same error, unhandled if the caller leaves
 * it unhandled). Undefined when `result` is not a promise.
 */
export function observePromise<C extends ModelCall>(
  result: unknown,
  call: C,
  onValue: (value: unknown, call: C) => void,
): Promise<unknown> | undefined {
  if (typeof (result as PromiseLike<unknown> | undefined)?.then !== "function") return undefined;
  call.call.busy = true; // the response will report back
  return (result as Promise<unknown>).then(
    (value) => {
      settle(value, call, onValue);
      return value;
    },
    (error: unknown) => {
      reject(error, call);
      throw error;
    },
  );
}

/**
 * `observePromise` for an SDK whose promise is a class of its own (with methods of its own, such as Mistral 2.x's):
 * the caller gets that very promise, read by reactions registered before the caller's. Its rejection counts as
 * handled (the reactions hold it), the price of handing back the SDK's own object. Undefined when `result` is not a
 * promise.
 */
export function observeOwnPromise<C extends ModelCall>(
  result: unknown,
  call: C,
  onValue: (value: unknown, call: C) => void,
): unknown {
  if (typeof (result as PromiseLike<unknown> | undefined)?.then !== "function") return undefined;
  call.call.busy = true; // the response will report back
  (result as PromiseLike<unknown>).then(
    (value) => settle(value, call, onValue),
    (error: unknown) => reject(error, call),
  );
  return result;
}
