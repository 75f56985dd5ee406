import type { AsyncLocalStorageClass } from "../types.js";

/** True when `value` looks like an AsyncLocalStorage class (a constructor whose instances have run and getStore). */
export function isAsyncLocalStorageClass(value: unknown): value is AsyncLocalStorageClass {
  try {
    const proto =
      typeof value === "function" ? (value as { prototype?: Record<string, unknown> }).prototype : undefined;
    return !!proto && typeof proto.run === "function" && typeof proto.getStore === "function";
  } catch {
    return false;
  }
}
