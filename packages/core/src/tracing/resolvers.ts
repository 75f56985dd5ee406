import type { Span } from "../types.js";
import { sharedValue } from "../utils/carrier.js";
import { guard } from "../utils/guard.js";

type Resolver = () => Span | undefined;

const resolvers = sharedValue<Set<Resolver>>("contextResolvers", () => new Set());

/**
 * For integration authors: registers a function that says which PandaProbe span is current when
 * the AsyncLocalStorage context holds none (e.g. inside a LangGraph node, whose context LangChain
 * keeps itself). Resolvers are called guarded, newest first. Returns an unregister function.
 */
export function registerContextResolver(resolver: Resolver): () => void {
  const set = resolvers();
  set.add(resolver);
  return () => set.delete(resolver);
}

/** @internal */
export function resolveFromFrameworks(): Span | undefined {
  const set = resolvers();
  if (set.size === 0) return undefined;
  let found: Span | undefined;
  for (const resolver of set) {
    const span = guard("context resolver", resolver, undefined);
    if (span && !span.ended) found = span; // the newest registered resolver wins
  }
  return found;
}
