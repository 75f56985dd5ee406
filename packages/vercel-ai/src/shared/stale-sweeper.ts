import { guard } from "@pandaprobe/core";

/**
 * Closes per-call state that never received an end event (a stream cancelled without an abort
 * signal, a v6 call that threw): every entry not touched for `timeoutMs` is handed to `onStale`
 * and removed. The timer is unref'd and stops at the first sweep that finds no entries.
 */
export class StaleSweeper<K, V extends { lastActivity: number }> {
  readonly entries = new Map<K, V>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly onStale: (key: K, value: V) => void,
  ) {}

  set(key: K, value: V): void {
    this.entries.set(key, value);
    if (!this.timer) this.start();
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value) value.lastActivity = Date.now();
    return value;
  }

  delete(key: K): void {
    // The timer keeps running (unref'd) and stops at the next sweep that finds nothing:
    // creating and clearing a timer per call would cost more than the call's tracing.
    this.entries.delete(key);
  }

  /** Runs one sweep now (tests call it with a fake clock). */
  sweep(now = Date.now()): void {
    for (const [key, value] of this.entries) {
      if (now - value.lastActivity < this.timeoutMs) continue;
      this.entries.delete(key);
      guard("vercel-ai.staleCall", () => this.onStale(key, value));
    }
    if (this.entries.size === 0) this.stop();
  }

  private start(): void {
    const every = Math.max(1000, Math.min(60_000, Math.floor(this.timeoutMs / 2)));
    this.timer = setInterval(() => this.sweep(), every);
    (this.timer as { unref?: () => void }).unref?.();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
