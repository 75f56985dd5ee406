/** Fixed-window counters (slowapi/limits semantics: the window starts at the first hit). */
import type { RateLimitOptions } from "./types.js";

/** slowapi's text for a limit, e.g. "100 per 1 minute". */
export function describeLimit(options: RateLimitOptions): string {
  const { limit, windowMs } = options;
  const units: Array<[number, string]> = [
    [86_400_000, "day"],
    [3_600_000, "hour"],
    [60_000, "minute"],
    [1000, "second"],
  ];
  for (const [size, name] of units) if (windowMs % size === 0) return `${limit} per ${windowMs / size} ${name}`;
  return `${limit} per ${windowMs} millisecond`;
}

export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(readonly options: RateLimitOptions) {}

  /** Counts a hit for `key`; returns false when the limit is exceeded. */
  hit(key: string, now = Date.now()): boolean {
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.options.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return window.count <= this.options.limit;
  }

  /** The 429 body the limiter sends (no Retry-After header). */
  get errorBody(): { error: string } {
    return { error: `Rate limit exceeded: ${describeLimit(this.options)}` };
  }

  reset(): void {
    this.windows.clear();
  }
}
