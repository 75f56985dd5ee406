/**
 * Pure helpers that classify LangChain runs from what their Start callback carries:
 * names, hidden/plumbing runs, graph nodes, and which metadata/tags are worth keeping.
 */
import { META } from "@pandaprobe/core/integration";

type Obj = Record<string, unknown>;

/** Name of a run: explicit run name, else the serialised name, else the last id segment. */
export function runName(serialized: unknown, name: unknown, fallback: string): string {
  if (typeof name === "string" && name) return name;
  const s =
    typeof serialized === "object" && serialized !== null
      ? (serialized as { name?: unknown; id?: unknown })
      : undefined;
  if (s && typeof s.name === "string" && s.name) return s.name;
  if (s && Array.isArray(s.id) && s.id.length > 0) return String(s.id[s.id.length - 1]);
  return fallback;
}

/** True when the run is a LangGraph node (Pregel tags each node run with `graph:step:N`). */
export function isGraphNode(tags: readonly string[] | undefined): boolean {
  if (!Array.isArray(tags)) return false;
  for (const t of tags) if (typeof t === "string" && t.startsWith("graph:step:")) return true;
  return false;
}

/**
 * Graph plumbing that is never emitted: runs tagged `langsmith:hidden`, `__start__`/`__end__`,
 * `ChannelWrite<…>`/`ChannelRead<…>` and 0.x `Branch<…>` routers. Inside a node (directly, or
 * through runs already collapsed), anonymous `RunnableLambda` routers, the anonymous
 * `RunnableSequence` wrapper and the prebuilt agent's `prompt` step are collapsed too (their
 * children attach to the node).
 */
export function isPlumbing(name: string, tags: readonly string[] | undefined, inNodeScope: boolean): boolean {
  if (Array.isArray(tags) && tags.includes("langsmith:hidden")) return true;
  if (name === "__start__" || name === "__end__") return true;
  if (name.startsWith("ChannelWrite") || name.startsWith("ChannelRead") || name.startsWith("Branch<")) return true;
  if (!inNodeScope) return false;
  return (
    name === "RunnableLambda" ||
    name === "RunnableSequence" ||
    (name === "prompt" && Array.isArray(tags) && tags.includes("seq:step:1"))
  );
}

/**
 * A `createAgent` middleware hook node (`todoListMiddleware.after_model`, `FilesystemMiddleware.before_agent`, ...):
 * it runs around every model call and mostly just passes the state on, so it is shown only when something happens
 * inside it.
 */
export function isMiddlewareHook(nodeName: string): boolean {
  return /\.(before|after)_(agent|model)$/.test(nodeName);
}

/** The LangGraph metadata kept on node spans. */
export function nodeMetadata(md: Obj | undefined): Obj | undefined {
  if (typeof md !== "object" || md === null) return undefined;
  const out: Obj = {};
  if (md.langgraph_node !== undefined) out[META.GRAPH_NODE] = md.langgraph_node;
  if (md.langgraph_step !== undefined) out[META.GRAPH_STEP] = md.langgraph_step;
  if (md.langgraph_checkpoint_ns !== undefined) out[META.GRAPH_CHECKPOINT_NS] = md.langgraph_checkpoint_ns;
  return out;
}

const FRAMEWORK_KEY = /^(langgraph_|ls_|lc_|__pregel|checkpoint_|versions$|thread_id$)/;

/** The caller's own run metadata (config.metadata), without the keys LangChain and LangGraph add. */
export function userMetadata(md: Obj | undefined): Obj | undefined {
  if (typeof md !== "object" || md === null) return undefined;
  let out: Obj | undefined;
  for (const k of Object.keys(md)) if (!FRAMEWORK_KEY.test(k)) (out ??= {})[k] = md[k];
  return out;
}

const FRAMEWORK_TAG = /^(graph:step:|seq:step:|langsmith:|map:key:)/;

/** The caller's own run tags (config.tags), without framework tags. */
export function userTags(tags: readonly string[] | undefined): string[] {
  return Array.isArray(tags) ? tags.filter((t) => typeof t === "string" && !FRAMEWORK_TAG.test(t)) : [];
}

/** `thread_id` from the run metadata (LangGraph copies `configurable.thread_id` there). */
export function threadIdOf(md: Obj | undefined): string | undefined {
  const t = md?.thread_id;
  return typeof t === "string" && t ? t : typeof t === "number" ? String(t) : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The run id when it can double as our span id (any UUID). */
export function spanIdFor(runId: string): string | undefined {
  return UUID.test(runId) ? runId.toLowerCase() : undefined;
}
