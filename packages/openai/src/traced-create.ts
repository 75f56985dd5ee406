/**
 * The patched `create`: notes the call, calls the original with the caller's arguments, and returns
 * the SDK's own `APIPromise`, untouched but for its prototype: a derived one whose `parse`,
 * `asResponse` and `_thenUnwrap` also observe the call, so results and failures are recorded on every
 * path (`await`, `.withResponse()`, `.asResponse()`, the helpers' derived promises). Instrumentation
 * failures never reach the caller.
 */
import { guard, type Integration, META, readCallOptions, reportError } from "@pandaprobe/core/integration";
import { CallRecorder, type CallResult } from "./call-recorder.js";
import type { Endpoint } from "./endpoint.js";
import { requestMetadata } from "./extract/request-id.js";
import { isObject, type AnyFn, type APIPromiseLike, type Loose, type StreamLike } from "./shapes.js";
import { instrumentStream } from "./streaming/instrument-stream.js";

/** A constructor that returns the object it is given: lets `CallStamp` add a private field to any object. */
const Identity = function (this: unknown, target: object) {
  return target;
} as unknown as new (
  target: object,
) => object;

/**
 * The call an observed `APIPromise` belongs to, in a private field added to the promise: invisible to
 * the caller (no own property, nothing for `util.inspect`), and a plain field store, not `defineProperty`.
 */
class CallStamp extends Identity {
  #call: CallRecorder;
  private constructor(target: object, call: CallRecorder) {
    super(target);
    this.#call = call;
  }
  static set(target: object, call: CallRecorder): void {
    if (#call in target) (target as CallStamp).#call = call;
    else new CallStamp(target, call);
  }
  static get(target: object): CallRecorder | undefined {
    return #call in target ? (target as CallStamp).#call : undefined;
  }
}

/**
 * Builds the replacement for `resource.create`. On this path (and in the reactions below) failures are
 * caught with `try`/`report` rather than `guard(closure)`: every call runs it, cold after a network wait,
 * where each extra function and closure shows in the caller's time.
 */
export function tracedCreate(
  endpoint: Endpoint,
  original: AnyFn,
  integration: Integration,
  includeUsage: boolean | undefined,
): AnyFn {
  return function create(this: unknown, ...args: unknown[]) {
    const call = startCall(endpoint, args, integration);
    if (!call) return original.apply(this, args);
    const sendArgs = includeUsage
      ? (guard("openai.include-usage", () => withIncludeUsage(endpoint, args, call), args) ?? args)
      : args;
    let result: unknown;
    try {
      result = original.apply(this, sendArgs);
    } catch (error) {
      guard("openai.sync-error", () => call.fail(error));
      throw error;
    }
    try {
      if (observe(result, call)) return result;
    } catch (error) {
      reportError("openai.instrument", error);
    }
    guard("openai.untraced", () => call.finish({ metadata: { [META.UNTRACED_RESULT]: true } }));
    return result;
  };
}

/** The call to record, or undefined (not recordable, a disabled client outside any trace, or a failure, which is reported). */
function startCall(endpoint: Endpoint, args: unknown[], integration: Integration): CallRecorder | undefined {
  try {
    const params = args[0];
    if (!isObject(params)) return undefined;
    const requestOptions = args[1];
    const own = readCallOptions(requestOptions);
    // Copied now: callers commonly push the reply onto their arrays right after the call, before the span is built.
    const captured = endpoint.capture(params);
    let recorder: CallRecorder | undefined;
    const call = integration.startCall({
      name: own?.name ?? endpoint.name,
      kind: endpoint.kind,
      input: captured.input,
      model: typeof params.model === "string" ? params.model : undefined,
      identity: own,
      recordInputs: own?.recordInputs,
      recordOutputs: own?.recordOutputs,
      ...("traceInput" in captured ? { traceInput: captured.traceInput } : undefined),
      onAbandon: () => recorder?.abandoned(),
    });
    if (!call) return undefined;
    recorder = new CallRecorder(call, endpoint, params, captured, requestOptions);
    return recorder;
  } catch (error) {
    reportError("openai.start", error);
    return undefined;
  }
}

/** `includeUsage`: a copy of the params with `stream_options.include_usage` (the caller's object is untouched). */
function withIncludeUsage(endpoint: Endpoint, args: unknown[], call: CallRecorder): unknown[] {
  const params = args[0] as Loose;
  if (endpoint.name !== "openai-chat" || params.stream !== true) return args;
  if (isObject(params.stream_options) && params.stream_options.include_usage !== undefined) return args;
  call.note(META.INCLUDE_USAGE_INJECTED, true);
  const copy = { ...params, stream_options: { ...params.stream_options, include_usage: true } };
  return [copy, ...args.slice(1)];
}

/** Hooks the SDK's `APIPromise` for `call`; false when `result` is not one. */
function observe(result: unknown, call: CallRecorder): boolean {
  if (!isObject(result) || typeof result._thenUnwrap !== "function" || typeof result.parse !== "function") return false;
  hook(result as APIPromiseLike, call);
  watchUnlessAwaited(call, result);
  return true;
}

/**
 * A caller awaiting the result at once asks for it (`parse()`) within two microtasks (`await` calls `then` from a job
 * queued right after `create()` returns): that call is busy until the response arrives and needs no watch. A result
 * not awaited then is watched: the call closes if the promise is garbage-collected unconsumed.
 */
function watchUnlessAwaited(call: CallRecorder, promise: object): void {
  queueMicrotask(() =>
    queueMicrotask(() => {
      if (!call.done && !call.parsing) call.call.watch(promise);
    }),
  );
}

/** Marks our prototypes (one per `APIPromise` class seen). */
const TRACED = Symbol("pandaprobe.openai.tracedPromise");
let lastBase: object | undefined;
let lastProto: object | undefined;

/**
 * Observes failures of `p` (HTTP errors reject the parse) and of the promises the SDK's helpers derive
 * from it (`parse()`, `runTools`, ... call `_thenUnwrap`). `p` keeps its class (`instanceof APIPromise`,
 * its private fields, `constructor`); it gets a prototype derived from its own that adds the observing
 * `parse` / `asResponse` / `_thenUnwrap`, built once per class, and the call in a private field (CallStamp).
 */
function hook(p: APIPromiseLike, call: CallRecorder): void {
  const base = Object.getPrototypeOf(p) as Loose | null;
  if (!base) return;
  let proto: object | undefined;
  if (base === lastBase) proto = lastProto;
  else if (base[TRACED as unknown as string]) proto = base;
  else {
    proto = tracedProto(base);
    lastBase = base;
    lastProto = proto;
  }
  Object.setPrototypeOf(p, proto!);
  CallStamp.set(p, call);
  // openai 7 gives each promise its own `_thenUnwrap` closure, which shadows the prototype's.
  const own = Object.hasOwn(p, "_thenUnwrap") ? (p as APIPromiseLike)._thenUnwrap : undefined;
  // Replaced by a plain assignment: the property keeps its attributes, and the function is anonymous like the SDK's.
  if (typeof own === "function") (p as APIPromiseLike)._thenUnwrap = observedThenUnwrap(own, call);
}

/** An own `_thenUnwrap` (openai 7) that also hooks the promises derived through it. */
function observedThenUnwrap(own: APIPromiseLike["_thenUnwrap"], call: CallRecorder): APIPromiseLike["_thenUnwrap"] {
  return function (this: unknown, transform: (data: unknown, props: unknown) => unknown) {
    const derived = own.call(this, transform);
    guard("openai.derive", () => hook(derived, call));
    return derived;
  };
}

function tracedProto(base: Loose): object {
  const baseParse = base.parse as () => Promise<unknown>;
  const baseAsResponse = base.asResponse as () => Promise<unknown>;
  const baseThenUnwrap = base._thenUnwrap as APIPromiseLike["_thenUnwrap"];
  const method = (value: unknown) => ({ value, writable: true, configurable: true });
  return Object.create(base, {
    [TRACED]: { value: true },
    /**
     * `parse()` (behind `await`, `.then`, `.withResponse()`): the first one records the result (in a
     * reaction registered before the caller's, so it adds no hop to the caller's path) or the rejection.
     */
    parse: method(function parse(this: APIPromiseLike): Promise<unknown> {
      const parsed = baseParse.call(this);
      const call = CallStamp.get(this);
      if (call && !call.parsing) {
        call.parsing = true;
        call.call.busy = true; // the response will report back
        if (call.endpoint.stream && call.streaming && this.responsePromise) {
          // A stream's request id is in the response headers (read when recording).
          this.responsePromise.then((props) => void (call.response = props), noop);
        }
        parsed.then(
          (data) => {
            if (call.done) return;
            try {
              recordData(data, call);
            } catch (error) {
              reportError("openai.result", error);
            }
          },
          (error: unknown) => {
            try {
              call.fail(error);
            } catch (failure) {
              reportError("openai.error", failure);
            }
          },
        );
      }
      return parsed;
    }),
    /** `.asResponse()` alone hands the caller the raw, unread body: the span closes when it arrives. */
    asResponse: method(function asResponse(this: APIPromiseLike): Promise<unknown> {
      const response = baseAsResponse.call(this);
      const call = CallStamp.get(this);
      if (call && !call.parsing && this.responsePromise) {
        call.call.busy = true; // the response will report back
        this.responsePromise.then(
          (props) =>
            guard("openai.raw", () =>
              call.finish({ metadata: { [META.RAW_RESPONSE]: true, ...requestMetadata(undefined, props) } }),
            ),
          (error: unknown) => guard("openai.error", () => call.fail(error)),
        );
      }
      return response;
    }),
    /** Helpers derive their promises with `_thenUnwrap`: those are observed too. */
    _thenUnwrap: method(function _thenUnwrap(
      this: APIPromiseLike,
      transform: (data: unknown, props: unknown) => unknown,
    ) {
      const derived = baseThenUnwrap.call(this, transform);
      const call = CallStamp.get(this);
      if (call) guard("openai.derive", () => hook(derived, call));
      return derived;
    }),
  });
}

const noop = () => {};

/** Records a parsed result; a stream is instrumented in place (its span closes when it stops). */
function recordData(data: unknown, call: CallRecorder): void {
  const endpoint = call.endpoint;
  if (endpoint.stream && isStreamLike(data) && instrumentStream(data, call, endpoint.stream(call))) return;
  // The result is read by the deferred job, off the caller's path (objects the caller mutates before then are recorded as mutated).
  call.finish(() => {
    const metadata = requestMetadata(data, undefined);
    const result: CallResult = endpoint.finish(call, data);
    return metadata ? { ...result, metadata: { ...result.metadata, ...metadata } } : result;
  });
}

function isStreamLike(data: unknown): data is StreamLike {
  return (
    isObject(data) &&
    (typeof data.iterator === "function" || typeof (data as StreamLike)[Symbol.asyncIterator] === "function")
  );
}
