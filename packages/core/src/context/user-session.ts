import { contextStore, currentFrame, runInFrame } from "./frame.js";

/**
 * Runs `fn` with `userId` applied to every trace started inside it (sync or async) and returns
 * `fn`'s result. Scopes nest; the outer value is restored after.
 * @example await user("u-42", () => agent.invoke(input))
 */
export function user<T>(userId: string | undefined, fn: () => T): T {
  return runInFrame({ userId }, fn);
}

/**
 * Runs `fn` with `sessionId` applied to every trace started inside it, like `user()`.
 * @example await session("chat-7", () => agent.invoke(input))
 */
export function session<T>(sessionId: string | undefined, fn: () => T): T {
  return runInFrame({ sessionId }, fn);
}

/**
 * Sets the user for the current async context from now on (request middleware, worker setup).
 * Code already running elsewhere is unaffected.
 */
export function setUser(userId: string | undefined): void {
  contextStore().enterWith({ ...currentFrame(), userId });
}

/** Sets the session for the current async context from now on, like `setUser()`. */
export function setSession(sessionId: string | undefined): void {
  contextStore().enterWith({ ...currentFrame(), sessionId });
}

/** The user id of the current context, if any. */
export function getCurrentUserId(): string | undefined {
  return currentFrame().userId;
}

/** The session id of the current context, if any. */
export function getCurrentSessionId(): string | undefined {
  return currentFrame().sessionId;
}
