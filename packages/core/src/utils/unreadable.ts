import { cleanText, cutText } from "./text.js";

/**
 * Reading values a caller hands over can throw: a Proxy whose traps throw, a revoked Proxy (an immer draft kept after
 * `produce()`), a getter or `toString` that throws. These helpers read without ever throwing, and name what could
 * not be read.
 */

/** A readable message for anything thrown (never throws itself, even for a thrown Proxy). */
export function errorMessage(error: unknown): string {
  try {
    if (typeof error === "string") return error;
    if (error instanceof Error) return String(error.message || error.name);
    return String(error);
  } catch (inner) {
    return isRevokedError(inner) ? "revoked proxy" : "unreadable error";
  }
}

function isRevokedError(error: unknown): boolean {
  try {
    return error instanceof TypeError && /revoked/.test(error.message);
  } catch {
    return false;
  }
}

/** Why reading failed, short: `revoked proxy`, or the thrown message (cut to 120 characters). */
export function unreadableReason(error: unknown): string {
  if (isRevokedError(error)) return "revoked proxy";
  const m = errorMessage(error);
  return m.length > 120 ? `${cutText(m, 120)}…` : m;
}

/** The placeholder recorded for a value that could not be read: `[unreadable: revoked proxy]`. */
export function unreadable(error: unknown): string {
  return `[unreadable: ${cleanText(unreadableReason(error))}]`;
}

/** `obj[key]`, or `fallback` when the read throws (`onError` is told why). */
export function readKey(obj: object, key: string, onError?: (error: unknown) => void): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch (error) {
    onError?.(error);
    return undefined;
  }
}

/** True for a function, without throwing (a revoked Proxy of a function is still `typeof` "function"). */
export function isFunction(value: unknown): value is (...args: never[]) => unknown {
  return typeof value === "function";
}

/** A short printable form of any value, for warnings (never throws). */
export function describe(value: unknown): string {
  try {
    switch (typeof value) {
      case "string":
        return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
      case "symbol":
        return value.toString();
      case "function":
        return "a function";
      case "object":
        if (value === null) return "null";
        if (Array.isArray(value)) return "an array";
        return "an object";
      default:
        return String(value);
    }
  } catch (error) {
    return unreadable(error);
  }
}
