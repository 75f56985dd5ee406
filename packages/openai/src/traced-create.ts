/**
 * The patched `create`: opens the span, calls the original with the caller's arguments, and returns
 * the SDK's own `APIPromise` chained with `_thenUnwrap` (so `.withResponse()`, `.asResponse()` and
 * `_request_id` keep working). Instrumentation failures never reach the caller.
 */
import { getClient, getCurrentSpan, getCurrentTrace, guard } from "@pandaprobe/core";
import { CallRecorder, type CallResult } from "./call-recorder.js";
import { readCallOptions, readHelperMethod } from "./call-options.js";
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

/** Builds the replacement for `resource.create`. */
export function tracedCreate(endpoint: Endpoint, original: AnyFn, state: WrapState): AnyFn {
  return function create(this: unknown, ...args: unknown[]) {
    const call = guard("openai.start", () => startCall(endpoint, args, state), undefined);
    if (!call) return original.apply(this, args);
    const sendArgs = guard("openai.include-usage", () => withIncludeUsage(endpoint, args, state, call), args) ?? args;
    let result: unknown;
    try {
      result = original.apply(this, sendArgs);
    } catch (error) {
      guard("openai.sync-error", () => call.fail(error));
      throw error;
    }
    const traced = guard("openai.instrument", () => instrumentPromise(result, call, endpoint, state, args[0] as Loose), undefined);
    if (traced === undefined) {
      guard("openai.untraced", () => call.finish({ metadata: { pandaprobe_untraced_result: true } }));
      return result;
    }
    return traced;
  };
}

function startCall(endpoint: Endpoint, args: unknown[], state: WrapState): CallRecorder | undefined {
  const params = args[0];
  if (!isObject(params)) return undefined;
  // Outside any trace and with a disabled client there is nothing to record: stay a pure pass-through.
  if (!getCurrentSpan() && !getCurrentTrace() && !(state.options.client ?? getClient()).enabled) return undefined;
  const requestOptions = args[1];
  return new CallRecorder(
    endpoint.name,
    endpoint.kind,
    endpoint.start(params),
    state.options,
    readCallOptions(requestOptions),
    readHelperMethod(requestOptions),
  );
}

/** `includeUsage`: a copy of the params with `stream_options.include_usage` (the caller's object is untouched). */
function withIncludeUsage(endpoint: Endpoint, args: unknown[], state: WrapState, call: CallRecorder): unknown[] {
  const params = args[0] as Loose;
  if (!state.options.includeUsage || endpoint.name !== "openai-chat" || params.stream !== true) return args;
  if (isObject(params.stream_options) && params.stream_options.include_usage !== undefined) return args;
  call.span.setMetadata({ include_usage_injected: true });
  const copy = { ...params, stream_options: { ...params.stream_options, include_usage: true } };
  return [copy, ...args.slice(1)];
}

function instrumentPromise(result: unknown, call: CallRecorder, endpoint: Endpoint, state: WrapState, params: Loose): unknown {
  if (!isObject(result) || typeof result._thenUnwrap !== "function") return undefined;
  const ap = result as APIPromiseLike;
  const traced = ap._thenUnwrap((data, props) => onData(data, props, call, endpoint, state, params));
  const parse = traced.parse;
  if (typeof parse === "function") {
    let observed = false;
    define(traced, "parse", function (this: APIPromiseLike) {
      call.parseRequested = true;
      const parsed = parse.call(this);
      if (!observed) {
        observed = true;
        parsed.then(undefined, (error: unknown) => guard("openai.error", () => call.fail(error)));
      }
      return parsed;
    });
  }
  const asResponse = traced.asResponse;
  if (typeof asResponse === "function") {
    define(traced, "asResponse", function (this: APIPromiseLike) {
      const response = asResponse.call(this);
      // `.asResponse()` alone hands the caller the raw, unread body: close the span when it arrives.
      if (!call.parseRequested && this.responsePromise) {
        this.responsePromise.then(
          (props) => guard("openai.raw", () => call.finish({ metadata: { raw_response: true, ...requestMetadata(props) } })),
          (error: unknown) => guard("openai.error", () => call.fail(error)),
        );
      }
      return response;
    });
  }
  // A result that is never awaited: close the span when the promise is garbage-collected.
  watch(call, traced, () => call.finish({ metadata: { result_unconsumed: true } }), 0);
  return traced;
}

/** The `_thenUnwrap` transform: records the result and returns it unchanged (streams instrumented in place). */
function onData(data: unknown, props: unknown, call: CallRecorder, endpoint: Endpoint, state: WrapState, params: Loose): unknown {
  if (call.done) return data;
  const recorded = guard(
    "openai.result",
    () => {
      const metadata = requestMetadata(props);
      if (params.stream && endpoint.stream && isStreamLike(data)) {
        if (metadata) call.span.setMetadata(metadata);
        if (instrumentStream(data, call, endpoint.stream(call), state.timeoutMs)) return true;
      }
      const result: CallResult = endpoint.finish(call, data);
      call.finish(metadata ? { ...result, metadata: { ...result.metadata, ...metadata } } : result);
      return true;
    },
    false,
  );
  if (!recorded) guard("openai.result.close", () => call.finish({ metadata: { pandaprobe_internal_error: true } }));
  return data;
}

function requestMetadata(props: unknown): Record<string, unknown> | undefined {
  const headers = isObject(props) && isObject(props.response) ? props.response.headers : undefined;
  const id = typeof headers?.get === "function" ? headers.get("x-request-id") : undefined;
  return typeof id === "string" && id ? { request_id: id } : undefined;
}

function isStreamLike(data: unknown): data is StreamLike {
  return isObject(data) && (typeof data.iterator === "function" || typeof (data as StreamLike)[Symbol.asyncIterator] === "function");
}

function define(target: object, key: PropertyKey, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false });
}
