/**
 * `wrapBedrock`: adds the tracing middleware to a Bedrock Runtime client's own middleware stack (the AWS SDK's
 * extension point, the way AWS's own features and other tracers hook in) and the per-call options hook to its
 * `send`. Why a middleware rather than only a patched `send`:
 * - the SDK tells a middleware which command it runs (`context.commandName`, a string the SDK sets: it survives
 *   bundling and minification, where class names do not);
 * - it sees the raw HTTP response, whose headers carry InvokeModel's token counts for every model family;
 * - it runs once per `send`, around the SDK's retries, for every way of sending (`send` with a promise or a callback,
 *   the aggregated `BedrockRuntime` client's methods), and leaves the promise `send` returns entirely to the SDK.
 */
import { createIntegration, isLoose, logger, wrapOnce } from "@pandaprobe/core/integration";
import { MIDDLEWARE_NAME, tracingMiddleware } from "./middleware.js";
import { patchSend } from "./send-options.js";
import type { WrapBedrockOptions } from "./types.js";

/**
 * Traces every `ConverseCommand`, `ConverseStreamCommand`, `InvokeModelCommand` and
 * `InvokeModelWithResponseStreamCommand` sent through a `BedrockRuntimeClient` (or `BedrockRuntime`) from
 * `@aws-sdk/client-bedrock-runtime`, and returns the same client. Results are the SDK's own objects; event streams
 * are observed as the caller reads them, never read ahead. Wrapping twice does nothing more. Never throws.
 */
export function wrapBedrock<T extends object>(client: T, options: WrapBedrockOptions = {}): T {
  return wrapOnce("bedrock", "wrapBedrock", client, (c) => {
    const stack = c.middlewareStack;
    if (!isLoose(stack) || typeof stack.add !== "function") {
      logger.warnOnce("bedrock.not-a-client", "wrapBedrock: not an AWS SDK v3 client (no middlewareStack); not traced");
      return false;
    }
    const integration = createIntegration("bedrock", options);
    stack.add(tracingMiddleware(integration), {
      name: MIDDLEWARE_NAME,
      step: "initialize",
      priority: "high",
      override: true,
      tags: ["PANDAPROBE"],
    });
    patchSend(c);
    // With `cacheMiddleware: true` the SDK keeps the handlers it built before; they lack the middleware. The SDK
    // drops this cache itself whenever a call passes options; dropping it now makes it rebuild them with ours.
    if (c.handlers !== undefined) delete c.handlers;
  });
}
