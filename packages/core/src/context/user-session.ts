import { logger } from "../utils/logger.js";
import { reportInternal } from "../utils/guard.js";
import { toText } from "../utils/to-text.js";
import { contextStore, currentFrame, runInFrame, type Frame } from "./frame.js";
import { watchIdentityScope } from "./no-async-context.js";

/** Runs `fn` in a frame with `patch`; a callback that is not a function runs nothing (one warning). */
function scoped<T>(what: string, patch: Partial<Frame>, fn: () => T): T {
  if (typeof fn !== "function") {
    logger.warnOnce(`callback:${what}`, `${what}() needs a callback as its second argument; nothing was run.`);
    return undefined as T;
  }
  return runInFrame(patch, fn);
}

/**
 * Runs `fn` with `userId` applied to every trace started inside it (sync or async) and returns
 * `fn`'s result. Scopes nest; the outer value is restored after.
 * @example await user("u-42", () => agent.invoke(input))
 */
export function user<T>(userId: string | undefined, fn: () => T): T {
  return watchIdentityScope(scoped("user", { userId: toText(userId, "userId") }, fn));
}

/**
 * Runs `fn` with `sessionId` applied to every trace started inside it, like `user()`.
 * @example await session("chat-7", () => agent.invoke(input))
 */
export function session<T>(sessionId: string | undefined, fn: () => T): T {
  return watchIdentityScope(scoped("session", { sessionId: toText(sessionId, "sessionId") }, fn));
}

/**
 * Sets the user for the current async context from now on (request middleware, worker setup).
 * Code already running elsewhere is unaffected. Where the runtime cannot scope a value to one async
 * context (no AsyncLocalStorage, or one without `enterWith` such as Cloudflare Workers'), nothing is set
 * and a warning says so once: use `user(id, fn)` or pass `userId` explicitly there. Never throws.
 */
export function setUser(userId: string | undefined): void {
  enter("setUser", { userId: toText(userId, "userId") });
}

/** Sets the session for the current async context from now on, like `setUser()` (same runtime caveat). */
export function setSession(sessionId: string | undefined): void {
  enter("setSession", { sessionId: toText(sessionId, "sessionId") });
}

function enter(what: string, patch: Partial<Frame>): void {
  try {
    const store = contextStore();
    if (!store.enterWith) {
      const why =
        store.kind === "sync-fallback"
          ? "this runtime has no AsyncLocalStorage"
          : "this runtime's AsyncLocalStorage has no enterWith()";
      const use = what === "setUser" ? "user(id, fn)" : "session(id, fn)";
      logger.warnOnce(
        `context:${what}`,
        `${what}() is ignored: ${why}, so the value would leak into other requests. Use ${use}, or pass the id explicitly.`,
      );
      return;
    }
    store.enterWith({ ...currentFrame(), ...patch });
  } catch (error) {
    reportInternal(what, error);
  }
}

/** The user id of the current context, if any. */
export function getCurrentUserId(): string | undefined {
  return currentFrame().userId;
}

/** The session id of the current context, if any. */
export function getCurrentSessionId(): string | undefined {
  return currentFrame().sessionId;
}
