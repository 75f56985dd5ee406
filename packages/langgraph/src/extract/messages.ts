/**
 * Turns LangChain messages (class instances of either major, plain dicts, tuples, serialised
 * `{ lc, kwargs }` forms) into the PandaProbe message shape `{ role, content, ...extras }`.
 * LangChain-specific, so it lives here rather than in core.
 */
import { isRecord } from "@pandaprobe/core/integration";

/** A message in the PandaProbe convention. */
export interface NormalizedMessage {
  role: string;
  content: unknown;
  tool_calls?: Array<{ id?: string; name?: string; args?: unknown }>;
  tool_call_id?: string;
  name?: string;
}

const ROLE_BY_TYPE: Record<string, string> = {
  human: "user",
  user: "user",
  ai: "assistant",
  assistant: "assistant",
  system: "system",
  developer: "system",
  tool: "tool",
  function: "function",
  remove: "remove",
};

const ROLE_BY_CLASS: Record<string, string> = {
  HumanMessage: "user",
  HumanMessageChunk: "user",
  AIMessage: "assistant",
  AIMessageChunk: "assistant",
  SystemMessage: "system",
  SystemMessageChunk: "system",
  ToolMessage: "tool",
  ToolMessageChunk: "tool",
  FunctionMessage: "function",
  ChatMessage: "generic",
};

type Obj = Record<string, unknown>;

/** The LangChain message type (`human`, `ai`, ...) of a message instance or dict, if it is one. */
function messageType(m: Obj): string | undefined {
  const getType =
    (m as { _getType?: () => string; getType?: () => string }).getType ?? (m as { _getType?: () => string })._getType;
  if (typeof getType === "function" && "content" in m) {
    try {
      return getType.call(m);
    } catch {
      /* fall through */
    }
  }
  if (typeof m.type === "string" && "content" in m) return m.type;
  return undefined;
}

/** Collapses a list of text blocks into one string; leaves other content (images, tool_use, ...) as a list. */
function collapseContent(content: unknown): unknown {
  if (!Array.isArray(content)) return content;
  const kept = content.filter((b) => !(isRecord(b) && (b.type === "thinking" || b.type === "reasoning")));
  if (kept.length === 0) return content;
  const texts: string[] = [];
  for (const b of kept) {
    if (typeof b === "string") texts.push(b);
    else if (isRecord(b) && b.type === "text" && typeof b.text === "string") texts.push(b.text);
    else return kept;
  }
  return texts.join(" ");
}

function toolCallsOf(m: Obj): NormalizedMessage["tool_calls"] {
  const calls = m.tool_calls;
  if (!Array.isArray(calls) || calls.length === 0) return undefined;
  return calls.map((c: Obj) => ({
    id: c?.id as string | undefined,
    name: c?.name as string | undefined,
    args: c?.args,
  }));
}

function fromTyped(type: string, m: Obj): NormalizedMessage {
  const role = type === "generic" && typeof m.role === "string" ? m.role : (ROLE_BY_TYPE[type] ?? type);
  const out: NormalizedMessage = { role, content: collapseContent(m.content ?? null) };
  const calls = toolCallsOf(m);
  if (calls) out.tool_calls = calls;
  if (typeof m.tool_call_id === "string") out.tool_call_id = m.tool_call_id;
  if (typeof m.name === "string" && m.name) out.name = m.name;
  return out;
}

/** Normalises one message-like value; returns undefined when it does not look like a message. */
export function normalizeMessage(x: unknown): NormalizedMessage | undefined {
  if (typeof x === "string") return { role: "user", content: x };
  if (Array.isArray(x)) {
    if (x.length === 2 && typeof x[0] === "string")
      return { role: ROLE_BY_TYPE[x[0]] ?? x[0], content: collapseContent(x[1]) };
    return undefined;
  }
  if (!isRecord(x)) return undefined;
  // Serialised form: { lc: 1, type: "constructor", id: [..., "HumanMessage"], kwargs: {...} }
  if (x.lc === 1 && Array.isArray(x.id) && isRecord(x.kwargs)) {
    const cls = String(x.id[x.id.length - 1]);
    const role = ROLE_BY_CLASS[cls];
    return role ? fromTyped(role === "generic" ? "generic" : role, x.kwargs) : undefined;
  }
  const type = messageType(x);
  if (type) return fromTyped(type, x);
  if (typeof x.role === "string" && "content" in x)
    return fromTyped(ROLE_BY_TYPE[x.role] ? x.role : "generic", { ...x });
  return undefined;
}

/** Normalises a list of messages (keeps elements that are not messages as they are). */
export function normalizeMessages(list: readonly unknown[]): unknown[] {
  return list.map((m) => normalizeMessage(m) ?? m);
}

/** True for a LangGraph `Command` (resume / update / goto). */
function isCommand(x: Obj): boolean {
  return x.lg_name === "Command" || (("resume" in x || "goto" in x) && "update" in x && "graph" in x);
}

/** Pulls the interesting parts of a LangGraph `Command`. */
export function normalizeCommand(x: Obj): Obj {
  const out: Obj = {};
  for (const k of ["resume", "update", "goto", "graph"]) {
    const v = x[k];
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return { command: out };
}

/**
 * Normalises a chain/graph state for display: `messages` arrays (and single messages) become
 * `{ role, content }` objects one level deep; a `Command` keeps its resume/update/goto; other
 * values are handed to core unchanged (core serialises and caps them).
 */
export function normalizeValues(x: unknown): unknown {
  if (Array.isArray(x)) return x.some((m) => normalizeMessage(m) && typeof m !== "string") ? normalizeMessages(x) : x;
  if (!isRecord(x)) return x;
  if (isCommand(x)) return normalizeCommand(x);
  if (messageType(x)) return normalizeMessage(x);
  let out: Obj | undefined;
  for (const key of Object.keys(x)) {
    const v = x[key];
    let nv: unknown = v;
    if (Array.isArray(v) && v.length > 0 && isRecord(v[0]) && messageType(v[0] as Obj)) nv = normalizeMessages(v);
    else if (isRecord(v) && messageType(v)) nv = normalizeMessage(v);
    if (nv !== v) {
      out ??= { ...x };
      out[key] = nv;
    }
  }
  return out ?? x;
}
