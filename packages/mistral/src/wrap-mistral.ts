/** `wrapMistral`: patches the client's own resource objects so that every model call is traced once. */
import { createIntegration, guard, type Integration, logger } from "@pandaprobe/core/integration";
import type { Operation } from "./operation.js";
import { OPERATIONS } from "./operations.js";
import { type AnyFn, isObject, type Loose } from "./shapes.js";
import { tracedMethod } from "./traced-method.js";
import type { WrapMistralOptions } from "./types.js";

/** Marks a wrapped client (shared by every copy of this package). */
const WRAPPED = Symbol.for("pandaprobe.mistral.wrapped");
/** Marks a patched method (holds the original). */
const ORIGINAL = Symbol.for("pandaprobe.mistral.original");

/**
 * Traces every model call of a `Mistral` client (`@mistralai/mistralai` 1.x and 2.x) and returns the same client.
 *
 * `chat.complete`, `chat.stream`, `chat.parse`, `chat.parseStream`, `fim.complete`, `fim.stream`, `agents.complete`,
 * `agents.stream` and `embeddings.create` are patched on this client's resource objects. What they return is the
 * SDK's own: the promise, the parsed result, the `EventStream` (observed in place). Wrapping twice does nothing
 * more. Never throws.
 */
export function wrapMistral<T extends object>(client: T, options: WrapMistralOptions = {}): T {
  guard("mistral.wrap", () => {
    const c: unknown = client;
    if (!isObject(c)) return;
    if (c[WRAPPED as unknown as string]) {
      logger.debug("wrapMistral: client already wrapped; keeping the first options");
      return;
    }
    const integration = createIntegration("mistral", options);
    Object.defineProperty(c, WRAPPED, { value: integration, configurable: true });
    for (const [resourceName, methods] of Object.entries(OPERATIONS)) {
      guard("mistral.wrap", () => {
        // The SDK makes each resource object on first access and keeps it: the patched one is used from now on.
        const resource: unknown = c[resourceName];
        if (!isObject(resource)) return;
        for (const [methodName, op] of Object.entries(methods)) patch(resource, methodName, op, integration);
      });
    }
  });
  return client;
}

function patch(resource: Loose, methodName: string, op: Operation, integration: Integration): void {
  const original = resource[methodName] as AnyFn | undefined;
  if (typeof original !== "function" || (original as Loose)[ORIGINAL as unknown as string]) return;
  const traced = tracedMethod(op, original, integration);
  Object.defineProperty(traced, ORIGINAL, { value: original });
  Object.defineProperty(resource, methodName, { value: traced, writable: true, configurable: true, enumerable: false });
}
