/** Public option types of `@pandaprobe/openai`. */
import type { PandaProbe } from "@pandaprobe/core";

/** Options of `wrapOpenAI(client, options)`. */
export interface WrapOpenAIOptions {
  /** User id for the traces this client creates; else the context (`user()`, `setUser()`). */
  userId?: string;
  /** Session id for the traces this client creates; else the context (`session()`, `setSession()`). */
  sessionId?: string;
  /** Tags added to the standalone traces this client creates (an enclosing trace keeps its own tags). */
  tags?: string[];
  /** Metadata added to every span this client records (and to its standalone traces). */
  metadata?: Record<string, unknown>;
  /** The PandaProbe client to send standalone traces through; the global client otherwise. */
  client?: PandaProbe;
  /**
   * Adds `stream_options: { include_usage: true }` to streaming chat completions that do not set it,
   * so streamed spans carry token usage. The stream then ends with one extra chunk whose `choices`
   * is empty (it carries `usage`): code that reads `chunk.choices[0]` unguarded must allow for it.
   * Default `false`.
   */
  includeUsage?: boolean;
  /**
   * Safety net for streams that are never iterated, or abandoned half-way without `break`/`return`:
   * the span is closed (metadata `stream_abandoned: "timeout"`) after this many milliseconds without
   * the stream being read. Streams that are garbage-collected first are closed then
   * (`stream_abandoned: "gc"`). Default 300000 (5 minutes); `0` disables the timeout.
   */
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
}
