import type { Span } from "../types.js";
import { sharedValue } from "../utils/carrier.js";
import { guard } from "../utils/guard.js";
import { isSpanImpl, type SpanImpl } from "./span-impl.js";

type Resolver = () => Span | undefined;

const resolvers = sharedValue<Set<Resolver>>("contextResolvers", () => new Set());

/**
 * For integration authors: registers a function that says which PandaProbe span is current when
 * the AsyncLocalStorage context holds none (e.g. inside a LangGraph node, whose context LangChain
 * keeps itself). Resolvers are called guarded, newest first. Returns an unregister function.
 */
export function registerContextResolver(resolver: Resolver): () => void {
  if (typeof resolver !== "function") return () => false;
  const set = resolvers();
  set.add(resolver);
  return () => set.delete(resolver);
}

/** @internal The newest registered resolver's open span (anything else a resolver returns is ignored). */
export function resolveFromFrameworks(): SpanImpl | undefined {
  const set = resolvers();
  if (set.size === 0) return undefined;
  let found: SpanImpl | undefined;
  for (const resolver of set) {
    const span = guard("context resolver", resolver, undefined);
    if (isSpanImpl(span) && !span.ended) found = span; // the newest registered resolver wins
  }
  return found;
}
