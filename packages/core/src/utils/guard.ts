import { logger } from "./logger.js";
import { errorMessage } from "./unreadable.js";

export { errorMessage };

type InternalErrorListener = (label: string, error: unknown) => void;
const listeners = new Set<InternalErrorListener>();

/** @internal Clients subscribe to report guarded failures to their `onError`. */
export function onInternalError(listener: InternalErrorListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Runs `fn`, catching anything it throws: the failure is logged once per `label` and reported
 * to `onError` as kind `internal`, and `fallback` is returned. Wrap every instrumentation hook in it.
 */
export function guard<T>(label: string, fn: () => T, fallback?: T): T {
  try {
    return fn();
  } catch (error) {
    reportInternal(label, error);
    return fallback as T;
  }
}

/**
 * Reports a failure caught by instrumentation (`reportError` in the integration kit): logged once per `label` and
 * reported to every client's `onError` as kind `internal`. Never throws.
 */
export function reportInternal(label: string, error: unknown): void {
  try {
    logger.warnOnce(`internal:${label}`, `internal error in ${label} (tracing continues): ${errorMessage(error)}`);
    for (const l of listeners) {
      try {
        l(label, error);
      } catch {
        /* a listener must never break instrumentation */
      }
    }
  } catch {
    /* never throw from the guard itself */
  }
}
