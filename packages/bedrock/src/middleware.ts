/**
 * The tracing middleware, on the client's own middleware stack (step `initialize`, priority `high`: the outermost
 * layer, once per `send`, around the SDK's retries). For the four traced commands it starts a call when `send` is
 * called, returns the promise of the layers below unchanged, and records their result or failure in reactions on the
 * side (`observeOwnPromise`); for a streaming command it observes the output's event stream in place. Any other
 * command gets the next handler itself: no layer at all.
 */
import {
  type AnyFn,
  type Integration,
  isLoose,
  type Loose,
  META,
  observeIterable,
  observeOwnPromise,
  startModelCall,
  tracedMethod,
} from "@pandaprobe/core/integration";
import { BedrockCall } from "./bedrock-call.js";
import { capture, kindOf, OPERATIONS, type Operation } from "./operations.js";
import { takeSendOptions } from "./send-options.js";

/** The middleware's name on the stack (`client.middlewareStack.identify()`). */
export const MIDDLEWARE_NAME = "pandaProbeTracingMiddleware";

type Handler = (args: unknown) => Promise<unknown>;

/** The middleware for one wrapped client (`(next, context) => handler`, the shape of an AWS SDK middleware). */
export function tracingMiddleware(integration: Integration) {
  return (next: Handler, context: unknown): Handler => {
    const op = isLoose(context) ? OPERATIONS.get(context.commandName) : undefined;
    if (!op) return next;
    return tracedMethod(next as AnyFn, {
      integration,
      start: (args) => startCall(op, args[0], integration),
      observe: (result, call) => observeOwnPromise(result, call, onResponse),
    });
  };
}

/** The call to record, or undefined (nothing to record, or a disabled client outside any trace). */
function startCall(op: Operation, args: unknown, integration: Integration): BedrockCall | undefined {
  // In the initialize step the handler's argument is the command itself (`handler(command)` in `send`).
  const sent = takeSendOptions(args);
  const input = isLoose(args) ? args.input : undefined;
  if (!isLoose(input)) return undefined;
  // Copied now: callers commonly push the reply onto `messages` right after the call, before the span is built.
  const captured = capture(input);
  return startModelCall(
    integration,
    { name: op.name, kind: kindOf(captured), model: captured.modelId, callOptions: sent?.own },
    (call) => new BedrockCall(call, op, captured, sent?.signal),
  );
}

/**
 * The layers below resolved with `{ output, response }`: record it, or observe its stream in place (the very object
 * the SDK put in the output, `output.stream` or `output.body`, read only as the caller reads it).
 */
function onResponse(value: unknown, call: BedrockCall): void {
  const op = call.op;
  const output: Loose | undefined = isLoose(value) && isLoose(value.output) ? value.output : undefined;
  const requestId = output?.$metadata?.requestId;
  if (typeof requestId === "string") call.requestId = requestId;
  if (op.accumulator && op.streamOf) {
    if (output && observeIterable(op.streamOf(output), call, op.accumulator())) return;
    call.finish({ metadata: { [META.UNTRACED_RESULT]: true } });
    return;
  }
  const response = isLoose(value) ? value.response : undefined;
  // Read by the deferred recording, off the caller's path.
  call.finish(() => op.finish!(call.captured, output ?? {}, response));
}
