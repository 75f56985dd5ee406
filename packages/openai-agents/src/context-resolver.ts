/**
 * Lets code running inside an Agents SDK span (a function tool, a guardrail, a model call) find the PandaProbe span
 * that records it, so a wrapped OpenAI call or a core `withSpan` made there nests under it. The SDK keeps its
 * current span in its own AsyncLocalStorage, shared by every copy of the SDK under a global symbol (>= 0.3.8); the
 * processors recording a run are asked for their span of it. Nothing is imported from the SDK.
 */
import type { Span } from "@pandaprobe/core";
import { guard, registerContextResolver } from "@pandaprobe/core/integration";
import type { AgentsSpan } from "./types.js";

/** Where the SDK keeps its tracing context (`@openai/agents-core` tracing/context). */
const SDK_CONTEXT = Symbol.for("openai.agents.core.asyncLocalStorage");

interface SpanSource {
  spanFor(span: AgentsSpan): Span | undefined;
}

/** Processors with runs being recorded (only they can know the current SDK span). */
const active = new Set<SpanSource>();
let registered = false;

function currentSdkSpan(): AgentsSpan | undefined {
  const storage = (globalThis as { [SDK_CONTEXT]?: { getStore?: () => unknown } })[SDK_CONTEXT];
  const store = storage?.getStore?.() as { active?: boolean; span?: AgentsSpan } | undefined;
  return store?.active === true && store.span ? store.span : undefined;
}

function resolveFromAgents(): Span | undefined {
  if (active.size === 0) return undefined;
  const sdk = currentSdkSpan();
  if (!sdk) return undefined;
  for (const source of active) {
    const span = source.spanFor(sdk);
    if (span) return span;
  }
  return undefined;
}

/** Registers the resolver once per process (on the first processor constructed). */
export function ensureContextResolver(): void {
  if (registered) return;
  registered = true;
  guard("openai-agents.registerContextResolver", () => {
    registerContextResolver(() => guard("openai-agents.contextResolver", resolveFromAgents, undefined));
  });
}

export function activate(source: SpanSource): void {
  active.add(source);
}

export function deactivate(source: SpanSource): void {
  active.delete(source);
}
