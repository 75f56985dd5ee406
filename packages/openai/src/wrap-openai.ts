/** `wrapOpenAI`: patches the client's own resource instances so every LLM call is traced once. */
import { createIntegration, guard, type Integration, logger } from "@pandaprobe/core/integration";
import type { Endpoint } from "./endpoint.js";
import { chatEndpoint } from "./extract/chat.js";
import { embeddingsEndpoint } from "./extract/embeddings.js";
import { responsesEndpoint } from "./extract/responses.js";
import { isObject, type AnyFn, type Loose } from "./shapes.js";
import { tracedCreate } from "./traced-create.js";
import type { WrapOpenAIOptions } from "./types.js";

/** Marks a wrapped client (shared by every copy of this package). */
const WRAPPED = Symbol.for("pandaprobe.openai.wrapped");
/** Marks a patched `create` (holds the original). */
const ORIGINAL = Symbol.for("pandaprobe.openai.original");

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
  guard("openai.wrap", () => {
    const c: unknown = client;
    if (!isObject(c)) return;
    if (c[WRAPPED as unknown as string]) {
      logger.debug("wrapOpenAI: client already wrapped; keeping the first options");
      return;
    }
    const wrapped: Wrapped = {
      options,
      integration: createIntegration("openai", options, {
        name: "abandonedStreamTimeoutMs",
        value: options.abandonedStreamTimeoutMs,
      }),
    };
    Object.defineProperty(c, WRAPPED, { value: wrapped, configurable: true });
    patchCreate(c.chat?.completions, chatEndpoint, wrapped);
    patchCreate(c.responses, responsesEndpoint, wrapped);
    patchCreate(c.beta?.responses, responsesEndpoint, wrapped); // openai >= 6
    patchCreate(c.embeddings, embeddingsEndpoint, wrapped);
    patchWithOptions(c, options);
  });
  return client;
}

/** What a wrapped client carries: the options it was wrapped with and its integration (its open calls). */
interface Wrapped {
  options: WrapOpenAIOptions;
  integration: Integration;
}

function patchCreate(resource: unknown, endpoint: Endpoint, wrapped: Wrapped): void {
  if (!isObject(resource)) return;
  const original = resource.create as AnyFn | undefined;
  if (typeof original !== "function" || (original as Loose)[ORIGINAL as unknown as string]) return;
  const patched = tracedCreate(endpoint, original, wrapped.integration, wrapped.options.includeUsage);
  Object.defineProperty(patched, ORIGINAL, { value: original });
  Object.defineProperty(resource, "create", { value: patched, writable: true, configurable: true, enumerable: false });
}

/** `withOptions()` (openai >= 5) builds a new client with new resource objects: wrap it too. */
function patchWithOptions(client: Loose, options: WrapOpenAIOptions): void {
  const original = client.withOptions as AnyFn | undefined;
  if (typeof original !== "function") return;
  Object.defineProperty(client, "withOptions", {
    value: function withOptions(this: unknown, ...args: unknown[]) {
      const clone = original.apply(this, args);
      return wrapOpenAI(clone, options);
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
