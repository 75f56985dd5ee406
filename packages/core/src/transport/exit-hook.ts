import { shared } from "../utils/carrier.js";

/** What the process end asks of a member (a client's transport, the deferred-recording batch). */
export interface ExitMember {
  /**
   * The event loop ran empty (`beforeExit`) or a SIGTERM/SIGINT arrived: deliver what is pending within the member's
   * own bound. `giveUp`: the process ends right after, so what is still undelivered then is reported (or spooled).
   */
  flushForExit(giveUp: boolean): Promise<void> | void;
  /** `process.exit()` (or the end after `beforeExit`): nothing asynchronous can run; synchronous reporting only. */
  onProcessExit?(): void;
}

interface ExitRegistry {
  members: Set<ExitMember>;
  installed: boolean;
  signalsInstalled: boolean;
  /** An exit flush in progress (a second `beforeExit` while it runs does nothing). */
  flushing: Promise<unknown> | undefined;
  /** The signal being handled, and whether the app has handlers of its own for it. */
  signal: { name: string; appHandles: boolean } | undefined;
  onSignal: ((signal: string) => void) | undefined;
}

type Proc = {
  on?(event: string, fn: (...args: unknown[]) => void): unknown;
  removeListener?(event: string, fn: (...args: unknown[]) => void): unknown;
  listenerCount?(event: string): number;
  kill?(pid: number, signal: string): unknown;
  exit?(code?: number): never;
  pid?: number;
};

const SIGNALS: Record<string, number> = { SIGTERM: 15, SIGINT: 2 };

function registry(): ExitRegistry {
  return shared<ExitRegistry>("exitRegistry", () => ({
    members: new Set(),
    installed: false,
    signalsInstalled: false,
    flushing: undefined,
    signal: undefined,
    onSignal: undefined,
  }));
}

function proc(): Proc | undefined {
  const p = (globalThis as { process?: Proc }).process;
  return typeof p?.on === "function" ? p : undefined;
}

/**
 * Delivery at process end, for every client at once (listeners added on first use, never at import):
 * - `beforeExit` (the event loop ran empty): each member delivers what it can within its bound, then reports the rest;
 * - SIGTERM / SIGINT (`signals`): the same, then the signal takes effect as it would have without the SDK (the
 *   process ends by it), unless the app has handlers of its own for it: then the app decides, the SDK only flushes;
 *   a second signal while flushing ends the process at once;
 * - `exit` (`process.exit()`, or after the above): synchronous reporting (and spooling) of what is left.
 */
export function registerForExit(member: ExitMember, options: { signals?: boolean } = {}): void {
  const reg = registry();
  reg.members.add(member);
  const p = proc();
  if (!p) return;
  if (!reg.installed) {
    reg.installed = true;
    p.on!("beforeExit", () => {
      if (!reg.flushing) runFlushes(reg, true);
    });
    p.on!("exit", () => {
      for (const m of reg.members) {
        try {
          m.onProcessExit?.();
        } catch {
          /* never break process exit */
        }
      }
    });
  }
  if (options.signals && !reg.signalsInstalled && typeof p.kill === "function" && typeof p.pid === "number") {
    reg.signalsInstalled = true;
    reg.onSignal = (signal) => onSignal(reg, p, signal);
    for (const name of Object.keys(SIGNALS)) p.on!(name, reg.onSignal as (...args: unknown[]) => void);
  }
}

export function unregisterForExit(member: ExitMember): void {
  registry().members.delete(member);
}

function runFlushes(reg: ExitRegistry, giveUp: boolean): Promise<unknown> {
  const work: Array<Promise<void>> = [];
  for (const m of reg.members) {
    try {
      const p = m.flushForExit(giveUp);
      if (p) work.push(p.catch(() => undefined));
    } catch {
      /* never break process exit */
    }
  }
  const all = Promise.all(work).finally(() => {
    if (reg.flushing === all) reg.flushing = undefined;
  });
  reg.flushing = all;
  return all;
}

function onSignal(reg: ExitRegistry, p: Proc, signal: string): void {
  if (reg.signal && !reg.signal.appHandles) return endBySignal(reg, p, signal); // a second signal: end now
  // Ours is one listener; any other is the app's, and the app decides whether the process ends.
  const appHandles = (p.listenerCount?.(signal) ?? 1) > 1;
  reg.signal = { name: signal, appHandles };
  void runFlushes(reg, !appHandles).then(() => {
    if (appHandles) reg.signal = undefined;
    else endBySignal(reg, p, signal);
  });
}

/** Removes the SDK's signal listeners and raises the signal again: the process ends by it, as without the SDK. */
function endBySignal(reg: ExitRegistry, p: Proc, signal: string): void {
  if (reg.onSignal) for (const name of Object.keys(SIGNALS)) p.removeListener?.(name, reg.onSignal as () => void);
  reg.signalsInstalled = false;
  try {
    p.kill!(p.pid!, signal);
  } catch {
    /* fall through to exit */
  }
  // Where re-raising does not end the process (a runtime that keeps the handler), exit as the signal would have.
  setTimeout(() => p.exit?.(128 + (SIGNALS[signal] ?? 15)), 100);
}
