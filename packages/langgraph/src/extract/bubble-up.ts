/**
 * LangGraph control-flow signals thrown through nodes (`GraphInterrupt`, `NodeInterrupt`,
 * `ParentCommand`, `GraphDrained`): they are not failures. Detected by duck typing so the
 * handler needs no runtime import of `@langchain/langgraph`.
 */

const BUBBLE_UP_NAMES = new Set(["GraphBubbleUp", "GraphInterrupt", "NodeInterrupt", "ParentCommand", "GraphDrained"]);

/** True for a LangGraph bubble-up signal (`isGraphBubbleUp` in both 0.4 and 1.x). */
export function isBubbleUp(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const e = err as { is_bubble_up?: unknown; name?: unknown };
  return e.is_bubble_up === true || (typeof e.name === "string" && BUBBLE_UP_NAMES.has(e.name));
}

/** The interrupt payloads (`interrupt(value)` values) carried by a `GraphInterrupt`, if any. */
export function interruptValues(err: unknown): unknown[] | undefined {
  const list = (err as { interrupts?: unknown })?.interrupts;
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return list.map((i) => (typeof i === "object" && i !== null && "value" in i ? (i as { value: unknown }).value : i));
}

/** Kind of bubble-up, for span metadata. */
export function bubbleUpKind(err: unknown): string {
  const name = (err as { name?: unknown })?.name;
  return typeof name === "string" && name ? name : "GraphBubbleUp";
}
