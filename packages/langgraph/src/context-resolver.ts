/**
 * Lets code running inside a LangChain run (a graph node, a tool) find the PandaProbe span of
 * that run, so a wrapped OpenAI call or a core `startSpan` made there nests under it. LangChain
 * keeps the running config in its own AsyncLocalStorage; its callback manager knows the run id
 * (`getParentRunId()`) and the handlers, among which we look for ours.
 * Core prefers this span over its own context's span when it descends from it (a graph invoked
 * inside `startSpan("request")`), so nesting is right in both cases.
 */
import { AsyncLocalStorageProviderSingleton } from "@langchain/core/singletons";
import { guard, registerContextResolver } from "@pandaprobe/core/integration";
import type { Span } from "@pandaprobe/core";

/** Marks our handler instances (a global symbol, so two copies of this package recognise each other). */
export const HANDLER_BRAND = Symbol.for("pandaprobe.langgraph.handler");
/** Symbol-keyed method of our handlers: the span to nest under for code running inside `runId`. */
export const SPAN_FOR_RUN = Symbol.for("pandaprobe.langgraph.spanForRun");

interface CallbackManagerLike {
  handlers?: unknown[];
  getParentRunId?: () => string | undefined;
  _parentRunId?: string;
}

let registered = false;

function resolveFromLangChain(): Span | undefined {
  const config = AsyncLocalStorageProviderSingleton.getRunnableConfig() as { callbacks?: unknown } | undefined;
  const cbs = config?.callbacks as CallbackManagerLike | undefined;
  if (!cbs || Array.isArray(cbs) || !Array.isArray(cbs.handlers)) return undefined;
  const runId = typeof cbs.getParentRunId === "function" ? cbs.getParentRunId() : cbs._parentRunId;
  if (!runId) return undefined;
  for (const h of cbs.handlers) {
    const handler = h as { [HANDLER_BRAND]?: boolean; [SPAN_FOR_RUN]?: (id: string) => Span | undefined };
    if (handler?.[HANDLER_BRAND] !== true) continue;
    const span = handler[SPAN_FOR_RUN]?.(runId);
    if (span && !span.ended) return span;
  }
  return undefined;
}

/** Registers the resolver once per process (on the first handler constructed). */
export function ensureContextResolver(): void {
  if (registered) return;
  registered = true;
  guard("langgraph.registerContextResolver", () => {
    registerContextResolver(() => guard("langgraph.contextResolver", resolveFromLangChain, undefined));
  });
}
