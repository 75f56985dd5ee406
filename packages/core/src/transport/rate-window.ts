/**
 * A sliding-window limiter for `POST /traces` (the backend allows 100 per minute per key and sends
 * no `Retry-After`). Pure: the caller passes `now`.
 */
export class RateWindow {
  private readonly stamps: number[] = [];
  private head = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds to wait before one more send is allowed (0 = now). */
  waitMs(now: number): number {
    if (this.limit <= 0) return 0;
    while (this.head < this.stamps.length && this.stamps[this.head] <= now - this.windowMs) this.head++;
    if (this.head > 1024) {
      this.stamps.splice(0, this.head);
      this.head = 0;
    }
    if (this.stamps.length - this.head < this.limit) return 0;
    return this.stamps[this.head] + this.windowMs - now;
  }

  record(now: number): void {
    if (this.limit > 0) this.stamps.push(now);
  }
}
