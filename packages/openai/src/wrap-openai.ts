/** `wrapOpenAI`: patches the client's own resource instances so every LLM call is traced once. */
import { createIntegration, patchMethod, wrapClones, wrapOnce } from "@pandaprobe/core/integration";
import type { Endpoint } from "./endpoint.js";
import { chatEndpoint } from "./extract/chat.js";
import { embeddingsEndpoint } from "./extract/embeddings.js";
import { responsesEndpoint } from "./extract/responses.js";
import { tracedCreate } from "./traced-create.js";
import type { WrapOpenAIOptions } from "./types.js";

/**
 * Traces every call of an `openai` client (v4 to v7) and returns the same client.
 *
 * `chat.completions.create`, `responses.create` (and `beta.responses.create`) and `embeddings.create`
 * are patched on this client's resource objects, so the SDK's convenience methods (`parse`, `.stream()`,
 * `runTools`, `responses.parse/stream`) are traced exactly once. Results are the SDK's own objects:
 * `APIPromise` helpers and `Stream` methods keep working. `withOptions()` clones are wrapped too;
 * wrapping twice does nothing more. Never throws.
 */
export function wrapOpenAI<T extends object>(client: T, options: WrapOpenAIOptions = {}): T {
  return wrapOnce("openai", "wrapOpenAI", client, (c) => {
    const integration = createIntegration("openai", options, {
      name: "abandonedStreamTimeoutMs",
      value: options.abandonedStreamTimeoutMs,
    });
    const patch = (resource: unknown, endpoint: Endpoint) =>
      patchMethod("openai", resource, "create", (original) =>
        tracedCreate(endpoint, original, integration, options.includeUsage),
      );
    patch(c.chat?.completions, chatEndpoint);
    patch(c.responses, responsesEndpoint);
    patch(c.beta?.responses, responsesEndpoint); // openai >= 6
    patch(c.embeddings, embeddingsEndpoint);
    // `withOptions()` (openai >= 5) builds a new client with new resource objects: wrap it too.
    wrapClones("openai", c, "withOptions", (clone) => wrapOpenAI(clone as object, options));
  });
}
