/**
 * The patched SDK method: notes the call, calls the original with the caller's arguments, and returns the SDK's
 * own promise, untouched (Mistral 2.x's is a class of its own). Its answer is read in a reaction registered before
 * the caller's (`observeOwnPromise`): a result is recorded off the caller's path, a stream is observed in place
 * before the caller sees it. Instrumentation failures never reach the caller.
 */
import {
  type AnyFn,
  type Integration,
  isLoose,
  META,
  observeOwnPromise,
  readCallOptions,
  startModelCall,
  tracedMethod,
} from "@pandaprobe/core/integration";
import type { Operation } from "./operation.js";
import { observeEventStream } from "./streaming/observe-stream.js";
import { TracedCall } from "./traced-call.js";

/** The replacement of `original` (`chat.complete`, `fim.stream`, ...). */
export function tracedOperation(op: Operation, original: AnyFn, integration: Integration): AnyFn {
  return tracedMethod(original, {
    integration,
    start: (args) => startCall(op, args, integration),
    observe: (result, call) => observeOwnPromise(result, call, settled),
  });
}

/** The call to record, or undefined (no params object, or a disabled client outside any trace). */
function startCall(op: Operation, args: unknown[], integration: Integration): TracedCall | undefined {
  const params = args[0];
  if (!isLoose(params)) return undefined;
  const requestOptions = args[1];
  const captured = op.capture(params);
  return startModelCall(
    integration,
    {
      name: op.name,
      kind: op.kind,
      model: typeof params.model === "string" ? params.model : undefined,
      metadata: captured.metadata,
      callOptions: readCallOptions(requestOptions),
      ...("traceInput" in captured ? { traceInput: captured.traceInput } : undefined),
    },
    (call) => new TracedCall(call, op, params, captured, callerSignal(requestOptions)),
  );
}

/** The caller's abort signal: request options `signal` (1.10 and later) or `fetchOptions.signal`. */
function callerSignal(requestOptions: unknown): unknown {
  if (!isLoose(requestOptions)) return undefined;
  return (
    requestOptions.signal ?? (isLoose(requestOptions.fetchOptions) ? requestOptions.fetchOptions.signal : undefined)
  );
}

/** A streaming method's stream is observed in place (its span closes when it stops); a result is recorded later. */
function settled(data: unknown, call: TracedCall): void {
  const op = call.op;
  if (op.stream) {
    if (!observeEventStream(data, call, op.stream(call))) call.finish({ metadata: { [META.UNTRACED_RESULT]: true } });
    return;
  }
  // Read by the deferred recording, off the caller's path.
  call.finish(() => op.result(data));
}
