/**
 * Turns any value into plain JSON data, safely: circular references, BigInt, Error, Date, Map/Set,
 * typed arrays, class instances, functions and symbols all get a defined form; NUL characters are
 * removed and lone surrogates replaced by U+FFFD (the backend silently loses a trace that contains
 * either); what cannot be read (a throwing getter, a revoked Proxy) becomes `[unreadable: why]`; and
 * the result is capped at a character budget with a visible truncation marker that never splits a
 * surrogate pair. Never throws.
 */
import { cleanText, cutIndex, isCleanText } from "../utils/text.js";
import { unreadable } from "../utils/unreadable.js";

const MAX_DEPTH = 48;

/** Marker appended to a string cut by the size cap. */
export function truncationMarker(dropped: number): string {
  return `…[truncated ${dropped} chars]`;
}

interface WalkState {
  budget: number;
  truncated: boolean;
  ancestors: unknown[];
}

/**
 * Returns `value` in a JSON-safe form whose serialised size stays within about `maxChars`: `value`
 * itself when it already is plain JSON within the budget (serialise it at once, before the caller can
 * change it), else a copy. `undefined` stays `undefined` at the top level (the field is then omitted).
 */
export function toSafeJson(value: unknown, maxChars: number): { value: unknown; truncated: boolean } {
  if (!copying && plainJsonBudget(value, maxChars, 0) !== NOT_PLAIN) return { value, truncated: false };
  const state: WalkState = { budget: maxChars, truncated: false, ancestors: [] };
  const out = walk(value, state, 0);
  return { value: out, truncated: state.truncated };
}

const NOT_PLAIN = -Infinity;
let copying = false;

/**
 * Runs `fn` with `toSafeJson` always copying. A value `toSafeJson` returned as it was is only safe to
 * serialise at once (the caller may change it later); and should it change while being serialised (a
 * getter or Proxy that answers differently the second time), the caller serialises again in `withCopies`.
 */
export function withCopies<T>(fn: () => T): T {
  const outer = copying;
  copying = true;
  try {
    return fn();
  } finally {
    copying = outer;
  }
}

/**
 * The budget `walk` would leave for `value` when it would return `value` unchanged (an equal copy): only
 * clean strings (no NUL, no lone surrogate), finite numbers, booleans, null, undefined, arrays and plain objects (no `toJSON`
 * or `then` function, clean keys), nothing cut by the budget, less than MAX_DEPTH deep (a cycle
 * ends there). NOT_PLAIN otherwise, also when reading a property throws. Allocates nothing.
 */
function plainJsonBudget(value: unknown, budget: number, depth: number): number {
  switch (typeof value) {
    case "string":
      return value.length <= Math.max(0, budget) && isCleanText(value) ? budget - value.length - 2 : NOT_PLAIN;
    case "number":
      return Number.isFinite(value) ? budget - 8 : NOT_PLAIN;
    case "boolean":
      return budget - 5;
    case "undefined":
      return budget;
    case "object":
      break;
    default:
      return NOT_PLAIN;
  }
  if (value === null) return budget - 4;
  if (budget <= 0 || depth >= MAX_DEPTH) return NOT_PLAIN;
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        if (budget <= 0) return NOT_PLAIN;
        budget = plainJsonBudget(value[i], budget, depth + 1) - 1;
        if (budget === NOT_PLAIN) return NOT_PLAIN;
      }
      return budget;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
    const obj = value as Record<string, unknown>;
    if (typeof obj.toJSON === "function" || typeof obj.then === "function") return NOT_PLAIN;
    for (const key in obj) {
      if (!Object.hasOwn(obj, key)) return NOT_PLAIN;
      if (budget <= 0 || !isCleanText(key)) return NOT_PLAIN;
      const v = obj[key];
      if (v === undefined) continue;
      budget = plainJsonBudget(v, budget, depth + 1);
      if (budget === NOT_PLAIN) return NOT_PLAIN;
      budget -= key.length + 3;
    }
    return budget;
  } catch {
    return NOT_PLAIN;
  }
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
  } catch (error) {
    return str(unreadable(error), st);
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
      const v = walk(read(obj, i, st), st, depth + 1);
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
      const key = cleanText(typeof k === "string" ? k : String(walk(k, st, depth + 1)));
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
    if (!Object.hasOwn(obj, key)) continue;
    if (st.budget <= 0) {
      st.truncated = true;
      out["[truncated]"] = true;
      break;
    }
    const w = walk(read(obj, key, st), st, depth + 1);
    if (w === undefined) continue;
    st.budget -= key.length + 3;
    out[cleanText(key)] = w;
  }
  return out;
}

function walkError(err: Error, st: WalkState, depth: number): unknown {
  const out: Record<string, unknown> = {
    name: walk(read(err, "name", st), st, depth + 1),
    message: walk(read(err, "message", st), st, depth + 1),
  };
  const stack = read(err, "stack", st);
  if (stack) out.stack = walk(stack, st, depth + 1);
  for (const key of Object.keys(err)) {
    if (key in out) continue;
    const w = walk(read(err, key, st), st, depth + 1);
    if (w !== undefined) out[cleanText(key)] = w;
  }
  const cause = read(err, "cause", st);
  if (cause !== undefined && !("cause" in out)) out.cause = walk(cause, st, depth + 1);
  return out;
}

/** `obj[key]`, or the `[unreadable: why]` placeholder when reading throws (a getter, a Proxy trap). */
function read(obj: object, key: string | number, st: WalkState): unknown {
  try {
    return (obj as Record<string | number, unknown>)[key];
  } catch (error) {
    return str(unreadable(error), st);
  }
}

function str(s: string, st: WalkState): string {
  const clean = cleanText(s);
  const room = Math.max(0, st.budget);
  if (clean.length <= room) {
    st.budget -= clean.length + 2;
    return clean;
  }
  st.truncated = true;
  const at = cutIndex(clean, room);
  const cut = clean.slice(0, at) + truncationMarker(clean.length - at);
  st.budget -= cut.length + 2;
  return cut;
}
