import type { QueueItem } from "./queue-item.js";
import { type Timer, unrefTimer } from "./timers.js";
import { errorMessage } from "../utils/unreadable.js";
import { logger } from "../utils/logger.js";
import type { WaitUntil } from "../types.js";

/**
 * One delivery registered with a platform's `waitUntil`: a promise handed to it when a trace ends (or a score or a
 * late span is queued) that resolves once what it covers has settled in the transport (delivered, failed or
 * dropped), or after `timeoutMs`, so the platform keeps the function alive exactly as long as delivery needs, and no
 * longer than a `flush()` would wait.
 */
export class Delivery {
  /** Items not settled yet, plus one for the hand-over (released when the trace is queued or dropped). */
  private open = 1;
  private resolve: (() => void) | undefined;
  private readonly timer: Timer | undefined;

  constructor(waitUntil: WaitUntil, timeoutMs: number) {
    const promise = new Promise<void>((resolve) => {
      this.resolve = resolve;
    });
    try {
      waitUntil(promise);
    } catch (error) {
      // e.g. Next.js `after()` called outside a request: nothing to register with.
      logger.debug(`waitUntil refused a delivery: ${errorMessage(error)}`);
      this.finish();
      return;
    }
    this.timer = unrefTimer(() => this.finish(), timeoutMs);
  }

  /** `item` (and the span chunks it releases) is part of this delivery: it settles when they have. */
  track(item: QueueItem): void {
    if (!this.resolve) return;
    for (const i of [item, ...(item.followUps ?? [])]) {
      this.open++;
      const previous = i.onSettled;
      i.onSettled = () => {
        previous?.();
        this.done();
      };
    }
  }

  /** The hand-over is done: what this delivery covers is queued (tracked), or will never be. */
  release(): void {
    this.done();
  }

  private done(): void {
    if (--this.open <= 0) this.finish();
  }

  private finish(): void {
    const resolve = this.resolve;
    this.resolve = undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
    resolve?.();
  }
}
