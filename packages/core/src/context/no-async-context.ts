import { sharedValue } from "../utils/carrier.js";
import { logger } from "../utils/logger.js";
import { contextStore } from "./frame.js";

/**
 * Where the runtime has no AsyncLocalStorage (Cloudflare Workers without `nodejs_compat`/`nodejs_als`, the
 * `edge-runtime` emulation of Vercel Edge), scopes end at the first `await` of their callback. That is said once at
 * `init()`, and again, naming the span, the first time a span is sent as a trace of its own (or a trace goes without
 * its user or session) while a scope that would have held it is still running. Never silent.
 */

/** Async callbacks of scopes still running: trace and span scopes, and user/session scopes. */
const open = sharedValue("asyncScopes", () => ({ traces: 0, identity: 0 }));

const WHAT_WORKS =
  "Exact everywhere: spans nested explicitly (trace.startSpan(), span.startSpan(), trace.withSpan(), the parent option), ids passed as options, scores, flush(), waitUntil delivery.";

function runtimeHint(): string {
  const g = globalThis as { navigator?: { userAgent?: string }; EdgeRuntime?: unknown };
  if (g.navigator?.userAgent?.startsWith("Cloudflare-Workers"))
    return "On Workers: enable nodejs_compat, or with nodejs_als pass asyncLocalStorage (from node:async_hooks) to init() or wrapWorker().";
  if (g.EdgeRuntime !== undefined)
    return "Vercel's deployed Edge runtime and Next.js have one; this emulation has not.";
  return "Pass asyncLocalStorage to init() if the runtime has one as a module.";
}

/** Said once, when a client starts, where context cannot follow `await`. */
export function noticeNoAsyncContext(): void {
  if (contextStore().kind !== "sync-fallback") return;
  logger.warnOnce(
    "context:none",
    `this runtime has no AsyncLocalStorage, so context does not follow await: user(), session(), withTrace() and withSpan() cover only the code run synchronously inside them; a span started after an await is a trace of its own, without user or session. ${WHAT_WORKS} ${runtimeHint()}`,
  );
}

/** True where scopes end at the first `await` (no AsyncLocalStorage). */
export function scopesEndAtAwait(): boolean {
  return contextStore().kind === "sync-fallback";
}

/** Counts a scope callback as running (see `scopesEndAtAwait`) until the returned function is called. */
export function openAsyncScope(kind: "traces" | "identity"): () => void {
  const counts = open();
  counts[kind]++;
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    counts[kind]--;
  };
}

/**
 * `result` of a user()/session() callback, counted while it runs where scopes end at `await`. Only a native promise
 * (an async function's result) is watched: a thenable of a library's own is never touched.
 */
export function watchIdentityScope<T>(result: T): T {
  if (result instanceof Promise && Object.getPrototypeOf(result) === Promise.prototype && scopesEndAtAwait()) {
    const close = openAsyncScope("identity");
    result.then(close, close);
  }
  return result;
}

/** A span is about to become a trace of its own: if a trace's callback is still running, its context was lost. */
export function noteStandaloneSpan(name: unknown): void {
  if (open().traces > 0)
    logger.warnOnce(
      "context:lost-span",
      `span "${typeof name === "string" ? name : "(unnamed)"}" started outside any trace while a trace's callback was still running (no AsyncLocalStorage: context ends at an await): sent as a trace of its own, without user or session. Nest it explicitly (trace.startSpan(), span.startSpan(), the parent option).`,
    );
}

/** A trace starts with no user or session: if a user()/session() callback is still running, they were lost. */
export function noteTraceWithoutIdentity(name: string): void {
  if (open().identity > 0)
    logger.warnOnce(
      "context:lost-identity",
      `trace "${name}" started without a user or session while a user()/session() callback was still running (no AsyncLocalStorage: context ends at an await). Pass userId/sessionId to it there.`,
    );
}
