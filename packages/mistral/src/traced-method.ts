/**
 * The patched SDK method: notes the call, calls the original with the caller's arguments, and returns the SDK's
 * own promise, untouched. Its answer is read in a reaction registered before the caller's: a result is recorded
 * off the caller's path, a stream is observed in place before the caller sees it. Instrumentation failures never
 * reach the caller.
 */
import { guard, type Integration, META, readCallOptions, reportError } from "@pandaprobe/core/integration";
import type { Operation } from "./operation.js";
import { type AnyFn, isObject, type Loose } from "./shapes.js";
import { instrumentStream } from "./streaming/observe-stream.js";
import { TracedCall } from "./traced-call.js";

/**
 * The replacement of `original` (`chat.complete`, `fim.stream`, ...). Failures on this path are caught with
 * `try`/`reportError` rather than `guard(closure)`: every call runs it, and each closure shows in the caller's time.
 */
export function tracedMethod(op: Operation, original: AnyFn, integration: Integration): AnyFn {
  const traced = function (this: unknown, ...args: unknown[]) {
    const call = startCall(op, args, integration);
    if (!call) return original.apply(this, args);
    let result: unknown;
    try {
      result = original.apply(this, args);
    } catch (error) {
      guard("mistral.sync-error", () => call.fail(error));
      throw error;
    }
    try {
      if (observe(result, call)) return result;
    } catch (error) {
      reportError("mistral.instrument", error);
    }
    guard("mistral.untraced", () => call.finish({ metadata: { [META.UNTRACED_RESULT]: true } }));
    return result;
  };
  // The SDK's name and arity, for code (and stack traces) that look at the method.
  Object.defineProperty(traced, "name", { value: original.name, configurable: true });
  Object.defineProperty(traced, "length", { value: original.length, configurable: true });
  return traced;
}

/** The call to record, or undefined (no params object, a disabled client outside any trace, or a failure, reported). */
function startCall(op: Operation, args: unknown[], integration: Integration): TracedCall | undefined {
  try {
    const params = args[0];
    if (!isObject(params)) return undefined;
    const requestOptions = args[1];
    const own = readCallOptions(requestOptions);
    const captured = op.capture(params);
    let traced: TracedCall | undefined;
    const call = integration.startCall({
      name: own?.name ?? op.name,
      kind: op.kind,
      model: typeof params.model === "string" ? params.model : undefined,
      metadata: captured.metadata,
      identity: own,
      recordInputs: own?.recordInputs,
      recordOutputs: own?.recordOutputs,
      ...("traceInput" in captured ? { traceInput: captured.traceInput } : undefined),
      onAbandon: () => traced?.abandoned(),
    });
    if (!call) return undefined;
    traced = new TracedCall(call, op, params, captured, callerSignal(requestOptions));
    return traced;
  } catch (error) {
    reportError("mistral.start", error);
    return undefined;
  }
}

/** The caller's abort signal: request options `signal` (1.10 and later) or `fetchOptions.signal`. */
function callerSignal(requestOptions: unknown): unknown {
  if (!isObject(requestOptions)) return undefined;
  return (
    requestOptions.signal ?? (isObject(requestOptions.fetchOptions) ? requestOptions.fetchOptions.signal : undefined)
  );
}

/** Reads the SDK's promise for `call`; false when `result` is not a promise. */
function observe(result: unknown, call: TracedCall): boolean {
  if (!isObject(result) || typeof result.then !== "function") return false;
  call.call.busy = true; // the response will report back
  (result as Loose).then(
    (data: unknown) => {
      try {
        if (!call.done) settled(data, call);
      } catch (error) {
        reportError("mistral.result", error);
        call.finish({ metadata: { [META.UNTRACED_RESULT]: true } });
      }
    },
    (error: unknown) => {
      try {
        call.fail(error);
      } catch (failure) {
        reportError("mistral.error", failure);
      }
    },
  );
  return true;
}

/** A streaming method's stream is observed in place (its span closes when it stops); a result is recorded later. */
function settled(data: unknown, call: TracedCall): void {
  call.call.busy = false;
  const op = call.op;
  if (op.stream) {
    if (!instrumentStream(data, call, op.stream(call))) call.finish({ metadata: { [META.UNTRACED_RESULT]: true } });
    return;
  }
  // Read by the deferred recording, off the caller's path.
  call.finish(() => op.result(data));
}
