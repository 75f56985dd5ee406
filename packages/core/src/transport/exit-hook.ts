import { shared } from "../utils/carrier.js";

interface ExitFlushable {
  flushForExit(): void;
}

interface ExitRegistry {
  members: Set<ExitFlushable>;
  installed: boolean;
}

/**
 * Best-effort delivery on normal process exit: one `beforeExit` listener for all clients
 * (registered on first use, never at import). `beforeExit` allows async work, so pending
 * items get one more immediate attempt. Not a substitute for `await flush()` in serverless.
 */
export function registerForExit(member: ExitFlushable): void {
  const reg = shared<ExitRegistry>("exitRegistry", () => ({ members: new Set(), installed: false }));
  reg.members.add(member);
  if (reg.installed) return;
  const proc = (globalThis as { process?: { on?: (event: string, fn: () => void) => void } }).process;
  if (typeof proc?.on !== "function") return;
  reg.installed = true;
  proc.on("beforeExit", () => {
    for (const m of reg.members) {
      try {
        m.flushForExit();
      } catch {
        /* never break process exit */
      }
    }
  });
}

export function unregisterForExit(member: ExitFlushable): void {
  shared<ExitRegistry>("exitRegistry", () => ({ members: new Set(), installed: false })).members.delete(member);
}
