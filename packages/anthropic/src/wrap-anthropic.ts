/** `wrapAnthropic`: patches the client's own resource instances so every Messages API call is traced once. */
import { createIntegration, guard, logger } from "@pandaprobe/core/integration";
import type { Endpoint } from "./endpoint.js";
import { batchesEndpoint } from "./extract/batches.js";
import { countTokensEndpoint } from "./extract/count-tokens.js";
import { messagesEndpoint } from "./extract/messages.js";
import { type AnyFn, isObject, type Loose } from "./shapes.js";
import { type Owner, tracedMethod } from "./traced-method.js";
import type { WrapAnthropicOptions } from "./types.js";

/** Marks a wrapped client (shared by every copy of this package). */
const WRAPPED = Symbol.for("pandaprobe.anthropic.wrapped");
/** Marks a patched method (holds the original). */
const ORIGINAL = Symbol.for("pandaprobe.anthropic.original");

/**
 * Traces every Messages API call of an `@anthropic-ai/sdk` client (0.50 to 1.x), or of the Bedrock and Vertex
 * clients built on it, and returns the same client.
 *
 * `messages.create` and `beta.messages.create` are patched on this client's resource objects, so the SDK's helpers
 * that call them (`messages.stream()`, `messages.parse`, the beta tool runner) are traced exactly once.
 * `messages.countTokens` is a span only inside an active trace; `messages.batches.create` is one span. Results are
 * the SDK's own objects: `APIPromise` helpers, `Stream` and `MessageStream` methods keep working. `withOptions()`
 * clones are wrapped too; wrapping twice does nothing more. Never throws.
 */
export function wrapAnthropic<T extends object>(client: T, options: WrapAnthropicOptions = {}): T {
  guard("anthropic.wrap", () => {
    const c: unknown = client;
    if (!isObject(c)) return;
    if (c[WRAPPED as unknown as string]) {
      logger.debug("wrapAnthropic: client already wrapped; keeping the first options");
      return;
    }
    const owner: Owner = { integration: createIntegration("anthropic", options), provider: providerOf(c) };
    Object.defineProperty(c, WRAPPED, { value: owner, configurable: true });
    for (const messages of [c.messages, isObject(c.beta) ? c.beta.messages : undefined]) {
      if (!isObject(messages)) continue;
      patch(messages, "create", messagesEndpoint, owner);
      patch(messages, "countTokens", countTokensEndpoint, owner); // not on Bedrock
      patch(messages.batches, "create", batchesEndpoint, owner); // not on Bedrock or Vertex
    }
    patchWithOptions(c, options);
  });
  return client;
}

function patch(resource: unknown, key: string, endpoint: Endpoint, owner: Owner): void {
  if (!isObject(resource)) return;
  const original = resource[key] as AnyFn | undefined;
  if (typeof original !== "function" || (original as Loose)[ORIGINAL as unknown as string]) return;
  const patched = tracedMethod(endpoint, original, owner);
  Object.defineProperty(patched, ORIGINAL, { value: original });
  Object.defineProperty(resource, key, { value: patched, writable: true, configurable: true, enumerable: false });
}

/** `withOptions()` builds a new client with new resource objects: wrap it too, with the same options. */
function patchWithOptions(client: Loose, options: WrapAnthropicOptions): void {
  const original = client.withOptions as AnyFn | undefined;
  if (typeof original !== "function") return;
  Object.defineProperty(client, "withOptions", {
    value: function withOptions(this: unknown, ...args: unknown[]) {
      return wrapAnthropic(original.apply(this, args), options);
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

/**
 * The provider of the client's calls, as OpenTelemetry names it: 1.x clients say so themselves
 * (`_genAIProviderName`); for older ones, the Bedrock client has an AWS region, the Vertex client a GCP project.
 */
function providerOf(client: Loose): string {
  const named = client._genAIProviderName;
  if (typeof named === "string" && named) return named;
  if ("awsRegion" in client) return "aws.bedrock";
  if ("projectId" in client && "region" in client) return "gcp.vertex_ai";
  return "anthropic";
}
