/**
 * The patched `create`: opens the span, calls the original with the caller's arguments, and returns
 * the SDK's own `APIPromise` chained with `_thenUnwrap` (so `.withResponse()`, `.asResponse()` and
 * `_request_id` keep working), with `parse`, `asResponse` and `_thenUnwrap` observed on it so failures
 * are recorded on every path (helpers included). Instrumentation failures never reach the caller.
 */
import { getClient, getCurrentSpan, getCurrentTrace, guard } from "@pandaprobe/core";
import { CallRecorder, type CallResult } from "./call-recorder.js";
import type { Endpoint } from "./endpoint.js";
import { instrumentStream } from "./instrument-stream.js";
import { watch } from "./safety-net.js";
import { isObject, type AnyFn, type APIPromiseLike, type Loose, type StreamLike } from "./shapes.js";
import type { WrapOpenAIOptions } from "./types.js";

/** Per-wrapped-client settings shared by its patched methods. */
export interface WrapState {
  options: WrapOpenAIOptions;
  timeoutMs: number;
}

/** The call an observed `APIPromise` belongs to (read by the shared `asResponse`). */
const CALL = Symbol("pandaprobe.openai.call");

/** Builds the replacement for `resource.create`. */
export function tracedCreate(endpoint: Endpoint, original: AnyFn, state: WrapState): AnyFn {
  return function create(this: unknown, ...args: unknown[]) {
    const call = guard("openai.start", () => startCall(endpoint, args, state), undefined);
    if (!call) return original.apply(this, args);
    const sendArgs = state.options.includeUsage ? (guard("openai.include-usage", () => withIncludeUsage(endpoint, args, call), args) ?? args) : args;
    let result: unknown;
    try {
      result = original.apply(this, sendArgs);
    } catch (error) {
      guard("openai.sync-error", () => call.fail(error));
      throw error;
    }
    const traced = guard("openai.instrument", () => observe(result, call, endpoint, state), undefined);
    if (traced) return traced;
    guard("openai.untraced", () => call.finish({ metadata: { pandaprobe_untraced_result: true } }));
    return result;
  };
}

function startCall(endpoint: Endpoint, args: unknown[], state: WrapState): CallRecorder | undefined {
  const params = args[0];
  if (!isObject(params)) return undefined;
  const parent = getCurrentSpan();
  const trace = parent ? undefined : getCurrentTrace();
  // Outside any trace and with a disabled client there is nothing to record: stay a pure pass-through.
  if (!parent && !trace && !(state.options.client ?? getClient()).enabled) return undefined;
  return new CallRecorder(endpoint, params, args[1], state.options, parent, trace);
}

/** `includeUsage`: a copy of the params with `stream_options.include_usage` (the caller's object is untouched). */
function withIncludeUsage(endpoint: Endpoint, args: unknown[], call: CallRecorder): unknown[] {
  const params = args[0] as Loose;
  if (endpoint.name !== "openai-chat" || params.stream !== true) return args;
  if (isObject(params.stream_options) && params.stream_options.include_usage !== undefined) return args;
  call.note("include_usage_injected", true);
  const copy = { ...params, stream_options: { ...params.stream_options, include_usage: true } };
  return [copy, ...args.slice(1)];
}

/**
 * Chains the recording onto the SDK's `APIPromise` with its own `_thenUnwrap` (every major keeps the
 * derived promise's helpers consistent with it, openai 7 through closures); `undefined` when `result`
 * is not one.
 */
function observe(result: unknown, call: CallRecorder, endpoint: Endpoint, state: WrapState): APIPromiseLike | undefined {
  if (!isObject(result) || typeof result._thenUnwrap !== "function") return undefined;
  const traced = (result as APIPromiseLike)._thenUnwrap((data, props) => {
    if (!call.done) guard("openai.result", () => recordData(data, props, call, endpoint, state));
    return data;
  });
  hook(traced, call);
  Object.defineProperty(traced, "asResponse", { value: asResponse, writable: true, configurable: true });
  // A result that is never awaited: close the span when the promise is garbage-collected.
  watch(call, traced, 0);
  return traced;
}

/**
 * Observes failures of `p` (HTTP errors reject the parse) and of the promises the SDK's helpers derive
 * from it (`parse()`, `runTools`, ... call `_thenUnwrap`). `parse` is shared; the call rides on `p`.
 */
function hook(p: APIPromiseLike, call: CallRecorder): void {
  Object.defineProperty(p, CALL, { value: call, configurable: true });
  Object.defineProperty(p, "parse", { value: parse, writable: true, configurable: true });
  const thenUnwrap = p._thenUnwrap;
  Object.defineProperty(p, "_thenUnwrap", {
    value: function (this: unknown, transform: (data: unknown, props: unknown) => unknown) {
      const derived = thenUnwrap.call(this, transform);
      guard("openai.derive", () => hook(derived, call));
      return derived;
    },
    writable: true,
    configurable: true,
  });
}

const callOf = (p: unknown): CallRecorder | undefined => (p as Loose)[CALL as unknown as string];

/** `parse()` (behind `await`, `.then`, `.withResponse()`): notes the request and records a rejection. */
function parse(this: APIPromiseLike): Promise<unknown> {
  const parsed = Object.getPrototypeOf(this).parse.call(this) as Promise<unknown>;
  const call = callOf(this);
  if (call && !call.parsing) {
    call.parsing = true;
    parsed.then(undefined, (error: unknown) => guard("openai.error", () => call.fail(error)));
  }
  return parsed;
}

/** `.asResponse()` alone hands the caller the raw, unread body: the span closes when it arrives. */
function asResponse(this: APIPromiseLike): Promise<unknown> {
  const response = Object.getPrototypeOf(this).asResponse.call(this) as Promise<unknown>;
  const call = callOf(this);
  if (call && !call.parsing && this.responsePromise) {
    this.responsePromise.then(
      (props) => guard("openai.raw", () => call.finish({ metadata: { raw_response: true, ...requestMetadata(undefined, props) } })),
      (error: unknown) => guard("openai.error", () => call.fail(error)),
    );
  }
  return response;
}

/** Records a parsed result; a stream is instrumented in place (its span closes when it stops). */
function recordData(data: unknown, props: unknown, call: CallRecorder, endpoint: Endpoint, state: WrapState): void {
  const metadata = requestMetadata(data, props);
  if (isStreamLike(data) && endpoint.stream) {
    if (metadata) call.note("request_id", metadata.request_id);
    if (instrumentStream(data, call, endpoint.stream(call), state.timeoutMs)) return;
  }
  const result: CallResult = endpoint.finish(call, data);
  call.finish(metadata ? { ...result, metadata: { ...result.metadata, ...metadata } } : result);
}

/** `request_id`: the SDK's `_request_id` on parsed JSON, else the response header. */
function requestMetadata(data: unknown, props: unknown): Record<string, unknown> | undefined {
  let id = isObject(data) ? data._request_id : undefined;
  if (typeof id !== "string") {
    const headers = isObject(props) && isObject(props.response) ? props.response.headers : undefined;
    id = typeof headers?.get === "function" ? headers.get("x-request-id") : undefined;
  }
  return typeof id === "string" && id ? { request_id: id } : undefined;
}

function isStreamLike(data: unknown): data is StreamLike {
  return isObject(data) && (typeof data.iterator === "function" || typeof (data as StreamLike)[Symbol.asyncIterator] === "function");
}
