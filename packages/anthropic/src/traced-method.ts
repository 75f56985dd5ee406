/**
 * The patched method (`create`, `countTokens`, `batches.create`): notes the call, calls the original with the
 * caller's arguments and returns the SDK's own `APIPromise`, untouched but for its prototype: a derived one whose
 * `parse` (behind `await`, `.then`, `.withResponse()`), `asResponse`, `_responseProps` and `_thenUnwrap` also observe
 * the call, so results and failures are recorded on every path, including the promises the SDK's helpers derive
 * (`messages.parse`, `messages.stream()`). Instrumentation failures never reach the caller.
 */
import { getCurrentSpan, getCurrentTrace } from "@pandaprobe/core";
import { guard, type Integration, META, readCallOptions, reportError } from "@pandaprobe/core/integration";
import { CallRecorder, type CallResult } from "./call-recorder.js";
import type { Endpoint } from "./endpoint.js";
import { requestIdMetadata } from "./extract/request-id.js";
import { type AnyFn, type APIPromiseLike, isObject, type Loose, type StreamLike } from "./shapes.js";
import { instrumentStream } from "./streaming/instrument-stream.js";

/** What a wrapped client hands each of its patched methods. */
export interface Owner {
  integration: Integration;
  /** `META.PROVIDER` of the client's calls (`anthropic`, `aws.bedrock`, `gcp.vertex_ai`). */
  provider: string;
}

/**
 * Builds the replacement for a resource method. On this path (and in the reactions below) failures are caught with
 * `try`/`reportError` rather than `guard(closure)`: every call runs it, cold after a network wait, where each extra
 * closure shows in the caller's time.
 */
export function tracedMethod(endpoint: Endpoint, original: AnyFn, owner: Owner): AnyFn {
  return function traced(this: unknown, ...args: unknown[]) {
    const call = startCall(endpoint, args, owner);
    if (!call) return original.apply(this, args);
    let result: unknown;
    try {
      result = original.apply(this, args);
    } catch (error) {
      guard("anthropic.sync-error", () => call.fail(error));
      throw error;
    }
    try {
      if (observe(result, call)) return result;
    } catch (error) {
      reportError("anthropic.instrument", error);
    }
    guard("anthropic.untraced", () => call.finish({ metadata: { [META.UNTRACED_RESULT]: true } }));
    return result;
  };
}

/** The call to record, or undefined (nothing to record, or a failure, which is reported). */
function startCall(endpoint: Endpoint, args: unknown[], owner: Owner): CallRecorder | undefined {
  try {
    const params = args[0];
    if (!isObject(params)) return undefined;
    // Inside an active span or trace the kit nests the call under it; outside, a nested-only call is not recorded.
    if (endpoint.nestedOnly && !getCurrentSpan() && !getCurrentTrace()) return undefined;
    const own = readCallOptions(args[1]);
    // Copied now: callers commonly push the reply onto their arrays right after the call, before the span is built.
    const raw = endpoint.capture(params);
    let recorder: CallRecorder | undefined;
    const call = owner.integration.startCall({
      name: own?.name ?? endpoint.name,
      kind: endpoint.kind,
      model: typeof params.model === "string" ? params.model : undefined,
      identity: own,
      recordInputs: own?.recordInputs,
      recordOutputs: own?.recordOutputs,
      onAbandon: () => recorder?.abandoned(),
      ...(endpoint.noTraceIO ? { traceInput: undefined } : undefined),
    });
    if (!call) return undefined;
    recorder = new CallRecorder(call, endpoint, params, raw, owner.provider);
    return recorder;
  } catch (error) {
    reportError("anthropic.start", error);
    return undefined;
  }
}

/** The call of each observed `APIPromise` (invisible to the caller: no property on the promise). */
const calls = new WeakMap<object, CallRecorder>();

/** Hooks the SDK's `APIPromise` for `call`; false when `result` is not one. */
function observe(result: unknown, call: CallRecorder): boolean {
  if (!isObject(result) || typeof result._thenUnwrap !== "function" || typeof result.parse !== "function") return false;
  hook(result as APIPromiseLike, call);
  watchUnlessAwaited(call, result);
  return true;
}

/**
 * A caller awaiting the result at once asks for it (`parse()`) within two microtasks (`await` calls `then` from a job
 * queued right after the method returns): that call is busy until the response arrives and needs no watch. A result
 * not awaited by then is watched: the call closes if the promise is garbage-collected unconsumed.
 */
function watchUnlessAwaited(call: CallRecorder, promise: object): void {
  queueMicrotask(() =>
    queueMicrotask(() => {
      if (!call.done && !call.parsing) call.call.watch(promise);
    }),
  );
}

/** Marks our prototypes (one per `APIPromise` class seen: the SDK's, the Bedrock and Vertex SDKs' own copies). */
const TRACED = Symbol("pandaprobe.anthropic.tracedPromise");
const protos = new WeakMap<object, object>();

/**
 * Observes `p` and the promises the SDK derives from it (`_thenUnwrap`). `p` keeps its class (`instanceof
 * APIPromise`, its private fields, `constructor`); it gets a prototype derived from its own, built once per class.
 */
function hook(p: APIPromiseLike, call: CallRecorder): void {
  const base = Object.getPrototypeOf(p) as Loose | null;
  if (!base) return;
  let proto = base[TRACED as unknown as string] ? base : protos.get(base);
  if (!proto) protos.set(base, (proto = tracedProto(base)));
  Object.setPrototypeOf(p, proto);
  calls.set(p, call);
}

function tracedProto(base: Loose): object {
  const baseParse = base.parse as () => Promise<unknown>;
  const baseAsResponse = base.asResponse as () => Promise<unknown>;
  const baseProps = base._responseProps as (() => Promise<unknown>) | undefined;
  const baseThenUnwrap = base._thenUnwrap as APIPromiseLike["_thenUnwrap"];
  const method = (value: unknown) => ({ value, writable: true, configurable: true });
  const methods: PropertyDescriptorMap = {
    [TRACED]: { value: true },
    /**
     * `parse()` (behind `await`, `.then`, `.withResponse()`): the first one records the result, in a reaction
     * registered before the caller's (no extra hop on the caller's path), or the rejection.
     */
    parse: method(function parse(this: APIPromiseLike): Promise<unknown> {
      const parsed = baseParse.call(this);
      const call = calls.get(this);
      if (call && !call.parsing) {
        call.parsing = true;
        call.call.busy = true; // the response will report back
        if (call.streaming && call.endpoint.stream && this.responsePromise) {
          // A stream's request id is in the response headers (read when recording).
          this.responsePromise.then((props) => void (call.response = props), noop);
        }
        parsed.then(
          (data) => {
            if (call.done || call.acc !== undefined) return; // recorded already (by a derived promise's transform)
            try {
              recordData(data, call);
            } catch (error) {
              reportError("anthropic.result", error);
            }
          },
          (error: unknown) => {
            try {
              call.fail(error);
            } catch (failure) {
              reportError("anthropic.error", failure);
            }
          },
        );
      }
      return parsed;
    }),
    /** `.asResponse()` alone hands the caller the raw, unread body: the call closes when it arrives. */
    asResponse: method(function asResponse(this: APIPromiseLike): Promise<unknown> {
      const response = baseAsResponse.call(this);
      closeAtHeaders(this);
      return response;
    }),
    /**
     * Helpers derive their promises with `_thenUnwrap` (the beta message stream, message threads): the call's own
     * result is recorded as it reaches the transform, before it becomes the helper's; failures and activity are
     * observed on the derived promise.
     */
    _thenUnwrap: method(function _thenUnwrap(
      this: APIPromiseLike,
      transform: (data: unknown, props: unknown) => unknown,
    ) {
      const call = calls.get(this);
      if (!call || typeof transform !== "function") return baseThenUnwrap.call(this, transform);
      const derived = baseThenUnwrap.call(this, (data: unknown, props: unknown) => {
        if (!call.done && call.acc === undefined) {
          try {
            if (call.streaming) call.response = props;
            recordData(data, call);
          } catch (error) {
            reportError("anthropic.result", error);
          }
        }
        return transform(data, props);
      });
      guard("anthropic.derive", () => hook(derived, call));
      return derived;
    }),
  };
  // 1.x: helpers that read the response themselves (message threads) take it with `_responseProps()`. A streamed
  // body read that way never passes through the stream this package observes: the call closes at the headers.
  if (typeof baseProps === "function") {
    methods._responseProps = method(function _responseProps(this: APIPromiseLike): Promise<unknown> {
      const props = baseProps.call(this);
      const call = calls.get(this);
      if (call?.streaming) closeAtHeaders(this);
      else if (call) call.call.busy = true; // the helper awaits the body next
      return props;
    });
  }
  return Object.create(base, methods);
}

/** The caller reads the body itself: the call ends when the response arrives, with the request id and no output. */
function closeAtHeaders(p: APIPromiseLike): void {
  const call = calls.get(p);
  if (!call || call.parsing || !p.responsePromise) return;
  call.call.busy = true; // the response will report back
  p.responsePromise.then(
    (props) =>
      guard("anthropic.raw", () =>
        call.finish({ metadata: { [META.RAW_RESPONSE]: true, ...requestIdMetadata(undefined, props) } }),
      ),
    (error: unknown) => guard("anthropic.error", () => call.fail(error)),
  );
}

const noop = () => {};

/** Records a parsed result; a stream is instrumented in place (its call ends when it stops). */
function recordData(data: unknown, call: CallRecorder): void {
  const endpoint = call.endpoint;
  if (endpoint.stream && call.streaming && isStreamLike(data) && instrumentStream(data, call, endpoint.stream(call)))
    return;
  // The result is read by the deferred job, off the caller's path (objects the caller mutates before then are recorded as mutated).
  call.finish((): CallResult => endpoint.finish(call, data));
}

function isStreamLike(data: unknown): data is StreamLike {
  return (
    isObject(data) &&
    (typeof data.iterator === "function" || typeof (data as StreamLike)[Symbol.asyncIterator] === "function")
  );
}
