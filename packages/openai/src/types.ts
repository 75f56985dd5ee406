/** Public option types of `@pandaprobe/openai`. */
import type { IntegrationOptions } from "@pandaprobe/core/integration";

/**
 * Options of `wrapOpenAI(client, options)`: the options of every PandaProbe integration (`userId`, `sessionId`,
 * `tags`, `metadata`, `client`, `recordInputs`, `recordOutputs`, `staleCallTimeoutMs`), plus the OpenAI ones.
 */
export interface WrapOpenAIOptions extends IntegrationOptions {
  /**
   * Adds `stream_options: { include_usage: true }` to streaming chat completions that do not set it,
   * so streamed spans carry token usage. The stream then ends with one extra chunk whose `choices`
   * is empty (it carries `usage`): code that reads `chunk.choices[0]` unguarded must allow for it.
   * Default `false`.
   */
  includeUsage?: boolean;
  /** @deprecated Use `staleCallTimeoutMs` (the same option in every integration). */
  abandonedStreamTimeoutMs?: number;
}

/** Per-call PandaProbe options, attached with `withPandaProbe()`. They are never sent to OpenAI. */
export interface OpenAICallOptions {
  /** Overrides the user id for this call's standalone trace. */
  userId?: string;
  /** Overrides the session id for this call's standalone trace. */
  sessionId?: string;
  /** Extra tags for this call's standalone trace. */
  tags?: string[];
  /** Extra metadata for this call's span (merged over the wrapper's). */
  metadata?: Record<string, unknown>;
  /** Span (and standalone trace) name instead of `openai-chat` / `openai-response` / `openai-embedding`. */
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
