/**
 * Turns any value into plain JSON data, safely: circular references, BigInt, Error, Date, Map/Set,
 * typed arrays, class instances, functions and symbols all get a defined form; NUL characters are
 * removed (the backend silently loses a trace that contains one); and the result is capped at a
 * character budget with a visible truncation marker. Never throws.
 */

const MAX_DEPTH = 48;
const NUL = "\u0000";

/** Marker appended to a string cut by the size cap. */
export function truncationMarker(dropped: number): string {
  return `…[truncated ${dropped} chars]`;
}

interface WalkState {
  budget: number;
  truncated: boolean;
  ancestors: unknown[];
}

/** Removes NUL characters from a string (fast path when there are none). */
export function stripNul(s: string): string {
  return s.indexOf(NUL) === -1 ? s : s.split(NUL).join("");
}

/**
 * Returns a JSON-safe copy of `value` whose serialised size stays within about `maxChars`, and
 * that size (approximate, used for the queue's byte cap).
 * `undefined` stays `undefined` at the top level (the field is then omitted).
 */
export function toSafeJson(value: unknown, maxChars: number): { value: unknown; truncated: boolean; size: number } {
  const state: WalkState = { budget: maxChars, truncated: false, ancestors: [] };
  const out = walk(value, state, 0);
  return { value: out, truncated: state.truncated, size: maxChars - state.budget };
}

function walk(value: unknown, st: WalkState, depth: number): unknown {
  switch (typeof value) {
    case "string":
      return str(value, st);
    case "number":
      st.budget -= 8;
      return Number.isFinite(value) ? value : String(value);
    case "boolean":
      st.budget -= 5;
      return value;
    case "undefined":
      return undefined;
    case "bigint":
      return str(value.toString(), st);
    case "symbol":
      return str(value.toString(), st);
    case "function":
      return str(`[Function ${(value as { name?: string }).name || "anonymous"}]`, st);
  }
  if (value === null) {
    st.budget -= 4;
    return null;
  }
  if (st.budget <= 0) {
    st.truncated = true;
    return "[truncated]";
  }
  if (depth >= MAX_DEPTH) return "[Max depth]";
  const obj = value as object;
  if (st.ancestors.includes(obj)) return "[Circular]";
  st.ancestors.push(obj);
  try {
    return walkObject(obj, st, depth);
  } catch {
    return "[Unserializable]";
  } finally {
    st.ancestors.pop();
  }
}

function walkObject(obj: object, st: WalkState, depth: number): unknown {
  if (Array.isArray(obj)) {
    const out: unknown[] = new Array(obj.length);
    for (let i = 0; i < obj.length; i++) {
      if (st.budget <= 0) {
        st.truncated = true;
        out.length = i;
        out.push(`[truncated ${obj.length - i} items]`);
        break;
      }
      const v = walk(obj[i], st, depth + 1);
      out[i] = v === undefined ? null : v;
      st.budget -= 1;
    }
    return out;
  }
  if (obj instanceof Date) return str(Number.isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString(), st);
  if (obj instanceof Error) return walkError(obj, st, depth);
  if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer) {
    const name = obj.constructor?.name ?? "ArrayBuffer";
    return str(`[${name} byteLength=${(obj as ArrayBuffer).byteLength}]`, st);
  }
  if (obj instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of obj) {
      if (st.budget <= 0) {
        st.truncated = true;
        break;
      }
      const key = stripNul(typeof k === "string" ? k : String(walk(k, st, depth + 1)));
      const w = walk(v, st, depth + 1);
      if (w !== undefined) out[key] = w;
    }
    return out;
  }
  if (obj instanceof Set) return walkObject(Array.from(obj), st, depth);
  if (typeof (obj as { then?: unknown }).then === "function") return str("[Promise]", st);
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") {
    const j = toJSON.call(obj);
    if (j !== obj) return walk(j, st, depth + 1);
  }
  const out: Record<string, unknown> = {};
  for (const key in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
    if (st.budget <= 0) {
      st.truncated = true;
      out["[truncated]"] = true;
      break;
    }
    const w = walk((obj as Record<string, unknown>)[key], st, depth + 1);
    if (w === undefined) continue;
    st.budget -= key.length + 3;
    out[stripNul(key)] = w;
  }
  return out;
}

function walkError(err: Error, st: WalkState, depth: number): unknown {
  const out: Record<string, unknown> = { name: str(err.name, st), message: str(err.message, st) };
  if (err.stack) out.stack = str(err.stack, st);
  for (const key of Object.keys(err)) {
    if (key in out) continue;
    const w = walk((err as unknown as Record<string, unknown>)[key], st, depth + 1);
    if (w !== undefined) out[stripNul(key)] = w;
  }
  const cause = (err as { cause?: unknown }).cause;
  if (cause !== undefined && !("cause" in out)) out.cause = walk(cause, st, depth + 1);
  return out;
}

function str(s: string, st: WalkState): string {
  const clean = stripNul(s);
  const room = Math.max(0, st.budget);
  if (clean.length <= room) {
    st.budget -= clean.length + 2;
    return clean;
  }
  st.truncated = true;
  const cut = clean.slice(0, room) + truncationMarker(clean.length - room);
  st.budget -= cut.length + 2;
  return cut;
}
