/**
 * The tracing middleware, on the client's own middleware stack (step `initialize`, priority `high`: the outermost
 * layer, once per `send`, around the SDK's retries). For the four traced commands it starts a call when `send` is
 * called, returns the promise of the layers below unchanged, and records their result or failure in reactions on the
 * side; for a streaming command it observes the output's event stream in place. Any other command gets the next
 * handler itself: no layer at all.
 */
import { guard, type Integration, META, reportError } from "@pandaprobe/core/integration";
import { BedrockCall } from "./bedrock-call.js";
import { capture, kindOf, OPERATIONS, type Operation } from "./operations.js";
import { takeSendOptions } from "./send-options.js";
import { isObject, type Loose } from "./shapes.js";
import { observeStream } from "./streaming/observe-stream.js";

/** The middleware's name on the stack (`client.middlewareStack.identify()`). */
export const MIDDLEWARE_NAME = "pandaProbeTracingMiddleware";

type Handler = (args: unknown) => Promise<unknown>;

/** The middleware for one wrapped client (`(next, context) => handler`, the shape of an AWS SDK middleware). */
export function tracingMiddleware(integration: Integration) {
  return (next: Handler, context: unknown): Handler => {
    const op = isObject(context) ? OPERATIONS.get(context.commandName) : undefined;
    if (!op) return next;
    return (args) => traced(op, next, args, integration);
  };
}

/**
 * On this path (and in the reactions below) failures are caught with `try`/`report` rather than `guard(closure)`:
 * every call runs it, cold after a network wait, where each extra function and closure shows in the caller's time.
 */
function traced(op: Operation, next: Handler, args: unknown, integration: Integration): Promise<unknown> {
  const call = startCall(op, args, integration);
  if (!call) return next(args);
  let result: Promise<unknown>;
  try {
    result = next(args);
  } catch (error) {
    guard("bedrock.sync-error", () => call.fail(error));
    throw error;
  }
  try {
    if (typeof result?.then !== "function") {
      call.finish({ metadata: { [META.UNTRACED_RESULT]: true } });
      return result;
    }
    call.call.busy = true; // the response will report back
    result.then(
      (value) => onResponse(op, call, value),
      (error: unknown) => {
        try {
          call.fail(error);
        } catch (failure) {
          reportError("bedrock.error", failure);
        }
      },
    );
  } catch (error) {
    reportError("bedrock.instrument", error);
  }
  return result;
}

/** The call to record, or undefined (nothing to record, a disabled client outside any trace, or a failure, reported). */
function startCall(op: Operation, args: unknown, integration: Integration): BedrockCall | undefined {
  try {
    // In the initialize step the handler's argument is the command itself (`handler(command)` in `send`).
    const sent = takeSendOptions(args);
    const input = isObject(args) ? args.input : undefined;
    if (!isObject(input)) return undefined;
    const own = sent?.own;
    // Copied now: callers commonly push the reply onto `messages` right after the call, before the span is built.
    const captured = capture(input);
    let recorder: BedrockCall | undefined;
    const call = integration.startCall({
      name: own?.name ?? op.name,
      kind: kindOf(captured),
      model: captured.modelId,
      identity: own,
      recordInputs: own?.recordInputs,
      recordOutputs: own?.recordOutputs,
      onAbandon: () => recorder?.abandoned(),
    });
    if (!call) return undefined;
    recorder = new BedrockCall(call, op, captured, sent?.signal);
    return recorder;
  } catch (error) {
    reportError("bedrock.start", error);
    return undefined;
  }
}

/** The layers below resolved with `{ output, response }`: record it, or observe its stream. */
function onResponse(op: Operation, call: BedrockCall, value: unknown): void {
  try {
    if (call.done) return;
    const output: Loose | undefined = isObject(value) && isObject(value.output) ? value.output : undefined;
    const requestId = output?.$metadata?.requestId;
    if (typeof requestId === "string") call.requestId = requestId;
    if (op.accumulator && op.streamOf) {
      if (output && observeStream(op.streamOf(output), call, op.accumulator())) return;
      call.finish({ metadata: { [META.UNTRACED_RESULT]: true } });
      return;
    }
    const response = isObject(value) ? value.response : undefined;
    // Read by the deferred job, off the caller's path.
    call.finish(() => op.finish!(call.captured, output ?? {}, response));
  } catch (error) {
    reportError("bedrock.result", error);
    guard("bedrock.result-close", () => call.finish({ metadata: { [META.RESULT_ERROR]: true } }));
  }
}
