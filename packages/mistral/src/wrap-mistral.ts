/** `wrapMistral`: patches the client's own resource objects so that every model call is traced once. */
import { createIntegration, guard, isLoose, patchMethod, wrapOnce } from "@pandaprobe/core/integration";
import { OPERATIONS } from "./operations.js";
import { tracedOperation } from "./traced-method.js";
import type { WrapMistralOptions } from "./types.js";

/**
 * Traces every model call of a `Mistral` client (`@mistralai/mistralai` 1.x and 2.x) and returns the same client.
 *
 * `chat.complete`, `chat.stream`, `chat.parse`, `chat.parseStream`, `fim.complete`, `fim.stream`, `agents.complete`,
 * `agents.stream` and `embeddings.create` are patched on this client's resource objects. What they return is the
 * SDK's own: the promise, the parsed result, the `EventStream` (observed in place). Wrapping twice does nothing
 * more. Never throws.
 */
export function wrapMistral<T extends object>(client: T, options: WrapMistralOptions = {}): T {
  return wrapOnce("mistral", "wrapMistral", client, (c) => {
    const integration = createIntegration("mistral", options);
    for (const [resourceName, methods] of Object.entries(OPERATIONS)) {
      guard("mistral.wrap", () => {
        // The SDK makes each resource object on first access and keeps it: the patched one is used from now on.
        const resource: unknown = c[resourceName];
        if (!isLoose(resource)) return;
        for (const [methodName, op] of Object.entries(methods))
          patchMethod("mistral", resource, methodName, (original) => tracedOperation(op, original, integration));
      });
    }
  });
}
