/**
 * The patched `create`: notes the call, calls the original with the caller's arguments, and returns the SDK's own
 * `APIPromise`, observed by the kit (`observeApiPromise`): results and failures are recorded on every path (`await`,
 * `.withResponse()`, `.asResponse()`, the helpers' derived promises). Instrumentation failures never reach the caller.
 */
import {
  type AnyFn,
  type Integration,
  isLoose,
  type Loose,
  META,
  observeApiPromise,
  readCallOptions,
  startModelCall,
  tracedMethod,
} from "@pandaprobe/core/integration";
import { CallRecorder } from "./call-recorder.js";
import type { Endpoint } from "./endpoint.js";

/** The replacement for `resource.create` of `endpoint`. */
export function tracedCreate(
  endpoint: Endpoint,
  original: AnyFn,
  integration: Integration,
  includeUsage: boolean | undefined,
): AnyFn {
  return tracedMethod(original, {
    integration,
    start: (args) => startCall(endpoint, args, integration),
    send: includeUsage ? (args, call) => withIncludeUsage(endpoint, args, call) : undefined,
    observe: (result, call) => (observeApiPromise(result, call) ? result : undefined),
  });
}

/** The call to record, or undefined (not recordable, or a disabled client outside any trace). */
function startCall(endpoint: Endpoint, args: unknown[], integration: Integration): CallRecorder | undefined {
  const params = args[0];
  if (!isLoose(params)) return undefined;
  const requestOptions = args[1];
  // Copied now: callers commonly push the reply onto their arrays right after the call, before the span is built.
  const captured = endpoint.capture(params);
  return startModelCall(
    integration,
    {
      name: endpoint.name,
      kind: endpoint.kind,
      input: captured.input,
      model: typeof params.model === "string" ? params.model : undefined,
      callOptions: readCallOptions(requestOptions),
      ...("traceInput" in captured ? { traceInput: captured.traceInput } : undefined),
    },
    (call) => new CallRecorder(call, endpoint, params, captured, requestOptions),
  );
}

/** `includeUsage`: a copy of the params with `stream_options.include_usage` (the caller's object is untouched). */
function withIncludeUsage(endpoint: Endpoint, args: unknown[], call: CallRecorder): unknown[] {
  const params = args[0] as Loose;
  if (endpoint.name !== "openai-chat" || params.stream !== true) return args;
  if (isLoose(params.stream_options) && params.stream_options.include_usage !== undefined) return args;
  call.note(META.INCLUDE_USAGE_INJECTED, true);
  const copy = { ...params, stream_options: { ...params.stream_options, include_usage: true } };
  return [copy, ...args.slice(1)];
}
