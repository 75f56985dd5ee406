/**
 * The messages convention shared with the Python SDK: I/O shaped `{ messages: [{ role, content }] }`;
 * trace input is the last user message, trace output the last assistant message.
 */

const USER_ROLES = new Set(["user", "human"]);
const ASSISTANT_ROLES = new Set(["assistant", "ai"]);

function lastWithRole(x: unknown, roles: Set<string>): unknown {
  try {
    return findLast(x, roles);
  } catch {
    return x; // unreadable (a throwing getter or Proxy): recorded as it is, the serialiser says why
  }
}

function findLast(x: unknown, roles: Set<string>): unknown {
  const messages = Array.isArray(x)
    ? x
    : x && typeof x === "object"
      ? (x as { messages?: unknown }).messages
      : undefined;
  if (!Array.isArray(messages)) return x;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown } | null;
    if (m && typeof m === "object" && typeof m.role === "string" && roles.has(m.role)) return { messages: [m] };
  }
  return x;
}

/**
 * `{ messages: [lastUserMessage] }` when `x` (an object with `messages`, or an array of messages)
 * holds a `user`/`human` message; otherwise `x` itself.
 */
export function extractLastUserMessage(x: unknown): unknown {
  return lastWithRole(x, USER_ROLES);
}

/** `{ messages: [lastAssistantMessage] }` when `x` holds an `assistant`/`ai` message; otherwise `x` itself. */
export function extractLastAssistantMessage(x: unknown): unknown {
  return lastWithRole(x, ASSISTANT_ROLES);
}

const EXAMPLE = ' Expected format: {"messages": [{"role": "user", "content": "hello"}]}';

/** Checks the messages convention; returns why `x` does not follow it, or undefined when it does (or is null/undefined). */
export function validateMessages(x: unknown): string | undefined {
  try {
    return problemOf(x);
  } catch {
    return "could not be read (a throwing getter or Proxy).";
  }
}

function problemOf(x: unknown): string | undefined {
  if (x === undefined || x === null) return undefined;
  if (typeof x !== "object" || Array.isArray(x))
    return `must be an object with a 'messages' key, got ${Array.isArray(x) ? "array" : typeof x}.${EXAMPLE}`;
  if (!("messages" in x))
    return `must contain a 'messages' key (keys: ${Object.keys(x).join(", ") || "none"}).${EXAMPLE}`;
  const messages = (x as { messages: unknown }).messages;
  if (!Array.isArray(messages)) return `'messages' must be a list.${EXAMPLE}`;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!m || typeof m !== "object" || Array.isArray(m)) return `messages[${i}] must be an object.${EXAMPLE}`;
    if (!("role" in m)) return `messages[${i}] is missing required key 'role'.${EXAMPLE}`;
    if (typeof (m as { role: unknown }).role !== "string") return `messages[${i}].role must be a string.${EXAMPLE}`;
    if (!("content" in m)) return `messages[${i}] is missing required key 'content'.${EXAMPLE}`;
    const c = (m as { content: unknown }).content;
    if (c !== null && typeof c !== "string" && !Array.isArray(c))
      return `messages[${i}].content must be a string, list, or null.${EXAMPLE}`;
  }
  return undefined;
}
