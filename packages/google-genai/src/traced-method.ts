/**
 * The patched model method: notes the call, calls the SDK's method with the caller's arguments, and records the
 * result when its promise settles. The SDK's methods are plain `async` functions (their promises have no helper
 * methods), so the caller gets `promise.then(record, recordAndRethrow)`: a plain promise that settles exactly as the
 * SDK's, with the SDK's own value (response object or stream) or the SDK's own error. Returning the SDK's promise
 * with a reaction attached instead would mark its rejection handled and hide an unhandled rejection from the
 * caller. Instrumentation failures never reach the caller.
 */
import { type Integration, META, readCallOptions, reportError } from "@pandaprobe/core/integration";
import { GeminiCall } from "./call-recorder.js";
import type { Endpoint } from "./endpoint.js";
import { type AnyFn, isObject, type Loose } from "./shapes.js";
import { instrumentStream } from "./streaming/instrument-stream.js";

/**
 * Builds the replacement for a model method. On this path failures are caught with `try`/`report` rather than
 * `guard(closure)`: every call runs it, where each extra closure shows in the caller's time.
 */
export function tracedMethod(endpoint: Endpoint, original: AnyFn, integration: Integration): AnyFn {
  return function (this: unknown, ...args: unknown[]) {
    const call = startCall(endpoint, args[0], integration);
    if (!call) return original.apply(this, args);
    let result: unknown;
    try {
      result = original.apply(this, args);
    } catch (error) {
      safely(() => call.fail(error));
      throw error;
    }
    if (!(result instanceof Promise)) {
      safely(() => call.finish({ metadata: { [META.UNTRACED_RESULT]: true } }));
      return result;
    }
    call.call.busy = true; // the response will report back
    return result.then(
      (data: unknown) => {
        try {
          onData(data, call);
        } catch (error) {
          reportError("google-genai.result", error);
        }
        return data;
      },
      (error: unknown) => {
        safely(() => call.fail(error));
        throw error;
      },
    );
  };
}

/** The call to record, or undefined (not recordable, a disabled client outside any trace, or a failure, which is reported). */
function startCall(endpoint: Endpoint, params: unknown, integration: Integration): GeminiCall | undefined {
  try {
    if (!isObject(params)) return undefined;
    const own = callOptions(params);
    // Copied now: a chat appends to its history, callers to their arrays, before the span is built.
    const captured = endpoint.capture(params);
    let recorder: GeminiCall | undefined;
    const call = integration.startCall({
      name: own?.name ?? endpoint.name,
      kind: endpoint.kind,
      model: typeof params.model === "string" ? params.model : undefined,
      identity: own,
      recordInputs: own?.recordInputs,
      recordOutputs: own?.recordOutputs,
      onAbandon: () => recorder?.abandoned(),
    });
    if (!call) return undefined;
    recorder = new GeminiCall(call, endpoint, params, captured);
    return recorder;
  } catch (error) {
    reportError("google-genai.start", error);
    return undefined;
  }
}

/**
 * `withPandaProbe()` options: on the request's `config` (the SDK's per-request options, like `httpOptions` and
 * `abortSignal`), on `config.httpOptions`, or on the parameters object itself. The SDK copies only the fields it
 * knows into the request, so none of them reaches the wire.
 */
function callOptions(params: Loose) {
  const config = params.config;
  return readCallOptions(config) ?? readCallOptions(config?.httpOptions) ?? readCallOptions(params);
}

/** Records a result; a stream is instrumented in place (its call closes when it stops). */
function onData(data: unknown, call: GeminiCall): void {
  const endpoint = call.endpoint;
  if (endpoint.stream && isObject(data) && instrumentStream(data, call, endpoint.stream(call))) return;
  // The result is read by the deferred job, off the caller's path.
  call.finish(() => endpoint.finish(data));
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    reportError("google-genai.end", error);
  }
}
