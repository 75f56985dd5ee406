/**
 * The patched method (`create`, `countTokens`, `batches.create`): notes the call, calls the original with the
 * caller's arguments and returns the SDK's own `APIPromise`, observed by the kit (`observeApiPromise`): results and
 * failures are recorded on every path, including the promises the SDK's helpers derive (`messages.parse`,
 * `messages.stream()`, message threads). Instrumentation failures never reach the caller.
 */
import { getCurrentSpan, getCurrentTrace } from "@pandaprobe/core";
import {
  type AnyFn,
  type Integration,
  isLoose,
  observeApiPromise,
  readCallOptions,
  startModelCall,
  tracedMethod,
} from "@pandaprobe/core/integration";
import { CallRecorder } from "./call-recorder.js";
import type { Endpoint } from "./endpoint.js";

/** What a wrapped client hands each of its patched methods. */
export interface Owner {
  integration: Integration;
  /** `META.PROVIDER` of the client's calls (`anthropic`, `aws.bedrock`, `gcp.vertex_ai`). */
  provider: string;
}

/** The replacement for a resource method of `endpoint`. */
export function tracedEndpoint(endpoint: Endpoint, original: AnyFn, owner: Owner): AnyFn {
  return tracedMethod(original, {
    integration: owner.integration,
    start: (args) => startCall(endpoint, args, owner),
    observe: (result, call) => (observeApiPromise(result, call) ? result : undefined),
  });
}

/** The call to record, or undefined (nothing to record). */
function startCall(endpoint: Endpoint, args: unknown[], owner: Owner): CallRecorder | undefined {
  const params = args[0];
  if (!isLoose(params)) return undefined;
  // Inside an active span or trace the kit nests the call under it; outside, a nested-only call is not recorded.
  if (endpoint.nestedOnly && !getCurrentSpan() && !getCurrentTrace()) return undefined;
  // Copied now: callers commonly push the reply onto their arrays right after the call, before the span is built.
  const raw = endpoint.capture(params);
  return startModelCall(
    owner.integration,
    {
      name: endpoint.name,
      kind: endpoint.kind,
      model: typeof params.model === "string" ? params.model : undefined,
      callOptions: readCallOptions(args[1]),
      ...(endpoint.noTraceIO ? { traceInput: undefined } : undefined),
    },
    (call) => new CallRecorder(call, endpoint, params, raw, owner.provider),
  );
}
