/**
 * Public option types of `@pandaprobe/openai-agents`, and the shapes of the Agents SDK objects a tracing processor
 * receives. The shapes are structural (what this package reads), not imports: the package never loads
 * `@openai/agents` itself, so it works with whichever copy and version the app has (>= 0.3.8), and an SDK `Trace`
 * or `Span` is assignable to them.
 */
import type { IntegrationOptions } from "@pandaprobe/core/integration";

/**
 * Options of `createPandaProbeProcessor(options)` and `instrumentOpenAIAgents(options)`: the options of every
 * PandaProbe integration (`userId`, `sessionId`, `tags`, `metadata`, `client`, `recordInputs`, `recordOutputs`,
 * `staleCallTimeoutMs`). A run's own ids win over them: `userId`, `sessionId`, `traceId` (a UUID) and `tags` in the
 * SDK's trace metadata (`new Runner({ traceMetadata })`, `withTrace(name, fn, { metadata })`); the trace metadata's
 * other keys are recorded as metadata. The `user()`/`session()` context active when the SDK trace starts comes after
 * them, and the SDK trace's group id is the session when none of these names one.
 */
export interface OpenAIAgentsOptions extends IntegrationOptions {}

/** An Agents SDK trace, as a tracing processor receives it (`@openai/agents` `Trace`). */
export interface AgentsTrace {
  readonly traceId: string;
  readonly name: string;
  readonly groupId?: string | null;
  readonly metadata?: Record<string, unknown>;
}

/** An Agents SDK span's error (`SpanError`). */
export interface AgentsSpanError {
  message: string;
  data?: Record<string, unknown>;
}

/** An Agents SDK span, as a tracing processor receives it (`@openai/agents` `Span`). */
export interface AgentsSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentId: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: span data differs by type and by SDK version; read defensively
  readonly spanData: { type: string; [key: string]: any };
  readonly traceMetadata?: Record<string, unknown>;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly error: AgentsSpanError | null;
}
