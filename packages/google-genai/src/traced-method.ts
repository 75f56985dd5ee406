/**
 * The patched model method: notes the call, calls the SDK's method with the caller's arguments, and records the
 * result when its promise settles. The SDK's methods are plain `async` functions (their promises have no helper
 * methods), so the caller gets the kit's `observePromise`: a plain promise that settles exactly as the SDK's, with
 * the SDK's own value (response object or stream) or the SDK's own error. Returning the SDK's promise with a
 * reaction attached instead would mark its rejection handled and hide an unhandled rejection from the caller.
 * Instrumentation failures never reach the caller.
 */
import {
  type AnyFn,
  type Integration,
  isLoose,
  type Loose,
  observeIterator,
  observePromise,
  readCallOptions,
  startModelCall,
  tracedMethod,
} from "@pandaprobe/core/integration";
import { GeminiCall } from "./call-recorder.js";
import type { Endpoint } from "./endpoint.js";

/** The replacement for a model method of `endpoint`. */
export function tracedEndpoint(endpoint: Endpoint, original: AnyFn, integration: Integration): AnyFn {
  return tracedMethod(original, {
    integration,
    start: (args) => startCall(endpoint, args[0], integration),
    observe: (result, call) => observePromise(result, call, onData),
  });
}

/** The call to record, or undefined (not recordable, or a disabled client outside any trace). */
function startCall(endpoint: Endpoint, params: unknown, integration: Integration): GeminiCall | undefined {
  if (!isLoose(params)) return undefined;
  // Copied now: a chat appends to its history, callers to their arrays, before the span is built.
  const captured = endpoint.capture(params);
  return startModelCall(
    integration,
    {
      name: endpoint.name,
      kind: endpoint.kind,
      model: typeof params.model === "string" ? params.model : undefined,
      callOptions: callOptions(params),
    },
    (call) => new GeminiCall(call, endpoint, params, captured),
  );
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

/**
 * Records a result; a stream (an async generator: tslib's, whose `next`/`return`/`throw` are own properties, or a
 * native one) is observed in place, so `for await`, manual `next()`, `return()` on `break` and the SDK's own chat
 * history bookkeeping keep working unchanged; its call closes when it stops.
 */
function onData(data: unknown, call: GeminiCall): void {
  const endpoint = call.endpoint;
  if (endpoint.stream && observeIterator(data, call, endpoint.stream(call))) return;
  // The result is read by the deferred recording, off the caller's path.
  call.finish(() => endpoint.finish(data));
}
