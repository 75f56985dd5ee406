/** `wrapAnthropic`: patches the client's own resource instances so every Messages API call is traced once. */
import {
  createIntegration,
  isLoose,
  type Loose,
  patchMethod,
  wrapClones,
  wrapOnce,
} from "@pandaprobe/core/integration";
import type { Endpoint } from "./endpoint.js";
import { batchesEndpoint } from "./extract/batches.js";
import { countTokensEndpoint } from "./extract/count-tokens.js";
import { messagesEndpoint } from "./extract/messages.js";
import { type Owner, tracedEndpoint } from "./traced-method.js";
import type { WrapAnthropicOptions } from "./types.js";

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
  return wrapOnce("anthropic", "wrapAnthropic", client, (c) => {
    const owner: Owner = { integration: createIntegration("anthropic", options), provider: providerOf(c) };
    const patch = (resource: unknown, key: string, endpoint: Endpoint) =>
      patchMethod("anthropic", resource, key, (original) => tracedEndpoint(endpoint, original, owner));
    for (const messages of [c.messages, isLoose(c.beta) ? c.beta.messages : undefined]) {
      if (!isLoose(messages)) continue;
      patch(messages, "create", messagesEndpoint);
      patch(messages, "countTokens", countTokensEndpoint); // not on Bedrock
      patch(messages.batches, "create", batchesEndpoint); // not on Bedrock or Vertex
    }
    // `withOptions()` builds a new client with new resource objects: wrap it too, with the same options.
    wrapClones("anthropic", c, "withOptions", (clone) => wrapAnthropic(clone as object, options));
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
