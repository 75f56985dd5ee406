/**
 * Per-call PandaProbe options for wrapped provider clients (OpenAI, Anthropic, Mistral, ...), carried on the
 * client's own request-options object under a symbol key that the provider SDKs never send.
 */

/** Symbol key under which `withPandaProbe` stores per-call options (shared by every copy of core). */
const CALL_OPTIONS = Symbol.for("pandaprobe.callOptions");

/** Per-call PandaProbe options, attached with `withPandaProbe()`. They are never sent to the provider. */
export interface CallOptions {
  /** Overrides the user id for this call's standalone trace. */
  userId?: string;
  /** Overrides the session id for this call's standalone trace. */
  sessionId?: string;
  /** Extra tags for this call's standalone trace. */
  tags?: string[];
  /** Extra metadata for this call's span (merged over the wrapper's). */
  metadata?: Record<string, unknown>;
  /** Span (and standalone trace) name instead of the integration's default (`openai-chat`, `anthropic-messages`, ...). */
  name?: string;
  /**
   * The id of this call's standalone trace (a UUID), so you can attach scores or feedback to it later
   * (`score({ traceId })`). Ignored inside an enclosing trace: the call is a span of that trace (`getCurrentTrace().id`).
   */
  traceId?: string;
  /** `false` keeps this call's inputs out of PandaProbe (the wrapper's `recordInputs: false` also does). */
  recordInputs?: boolean;
  /** `false` keeps this call's outputs out of PandaProbe (the wrapper's `recordOutputs: false` also does). */
  recordOutputs?: boolean;
}

/**
 * Attaches PandaProbe options to one call of a wrapped client, without touching what is sent to the provider:
 * `client.chat.completions.create(params, withPandaProbe({ userId: "u1" }, { timeout: 5000 }))`.
 *
 * Returns a shallow copy of `requestOptions` (never mutated) with the options under a symbol key, which the
 * provider SDKs ignore when they build the HTTP request. Convenience methods that forward request options
 * (`parse`, `.stream()`, `runTools`) carry it too.
 */
export function withPandaProbe<R extends object = Record<string, never>>(options: CallOptions, requestOptions?: R): R {
  return { ...(requestOptions ?? ({} as R)), [CALL_OPTIONS]: options } as R;
}

/** For integrations: the per-call options on a request-options object (a plain object; anything else is skipped). */
export function readCallOptions(requestOptions: unknown): CallOptions | undefined {
  if (typeof requestOptions !== "object" || requestOptions === null) return undefined;
  try {
    const value = (requestOptions as Record<symbol, unknown>)[CALL_OPTIONS];
    return typeof value === "object" && value !== null ? (value as CallOptions) : undefined;
  } catch {
    return undefined; // a hostile object (a throwing proxy) carries no options
  }
}
