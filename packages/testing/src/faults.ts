/** Fault injection for transport tests: failures, hangs, slow responses. */

/** An HTTP status to answer with, or "reset" to destroy the connection without answering. */
export type FaultStatus = number | "reset";

/** Which requests a fault applies to (all when empty). `path` matches the path without query. */
export interface FaultMatch {
  method?: string;
  path?: string | RegExp;
}

export interface FailOptions extends FaultMatch {
  /** Process the request normally (persist the trace...) and only then replace the response. Default false. */
  afterProcessing?: boolean;
  /** Response body (JSON) instead of the status's default body. */
  body?: unknown;
}

/** The public fault controls (`standIn.faults`). */
export interface FaultControls {
  /** Fail the next `n` matching requests with `status`. */
  failNext(n: number, status: FaultStatus, options?: FailOptions): void;
  /** Fail every matching request until the returned function (or `clear()`) is called. */
  failWhile(status: FaultStatus, options?: FailOptions): () => void;
  /** Accept matching requests and never answer while on; turning it off answers them normally. */
  hang(on?: boolean, match?: FaultMatch): void;
  /** Delay matching responses by `ms` (0 turns it off). */
  slow(ms: number, match?: FaultMatch): void;
  /** Removes every fault and releases hanging requests. */
  clear(): void;
  /** Number of requests currently hanging. */
  readonly hangingCount: number;
}

export interface FailRule extends FailOptions {
  remaining: number;
  status: FaultStatus;
}

function matches(match: FaultMatch | undefined, method: string, path: string): boolean {
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== method) return false;
  if (match.path === undefined) return true;
  return typeof match.path === "string" ? match.path === path : match.path.test(path);
}

/** Fault state; the server consults it for each request. */
export class Faults implements FaultControls {
  private rules: FailRule[] = [];
  private hangMatch: FaultMatch | undefined;
  private hangOn = false;
  private hung: Array<() => void> = [];
  private slowRule: { ms: number; match?: FaultMatch } | undefined;

  failNext(n: number, status: FaultStatus, options: FailOptions = {}): void {
    if (n > 0) this.rules.push({ ...options, remaining: n, status });
  }

  failWhile(status: FaultStatus, options: FailOptions = {}): () => void {
    const rule: FailRule = { ...options, remaining: Infinity, status };
    this.rules.push(rule);
    return () => {
      this.rules = this.rules.filter((r) => r !== rule);
    };
  }

  hang(on = true, match?: FaultMatch): void {
    this.hangOn = on;
    this.hangMatch = match;
    if (!on) this.release();
  }

  slow(ms: number, match?: FaultMatch): void {
    this.slowRule = ms > 0 ? { ms, match } : undefined;
  }

  clear(): void {
    this.rules = [];
    this.slowRule = undefined;
    this.hang(false);
  }

  get hangingCount(): number {
    return this.hung.length;
  }

  /** @internal Consumes one failure for this request, if a rule matches. */
  takeFailure(method: string, path: string): FailRule | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && matches(r, method, path));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule;
  }

  /** @internal True when this request must hang. */
  shouldHang(method: string, path: string): boolean {
    return this.hangOn && matches(this.hangMatch, method, path);
  }

  /** @internal Parks a hanging request; `resume` runs when hanging is turned off. */
  park(resume: () => void): void {
    this.hung.push(resume);
  }

  /** @internal Delay before answering this request. */
  delayFor(method: string, path: string): number {
    return this.slowRule && matches(this.slowRule.match, method, path) ? this.slowRule.ms : 0;
  }

  /** @internal Forgets hanging requests without answering them (their connections are destroyed on close). */
  dropHung(): void {
    this.hung = [];
  }

  private release(): void {
    const hung = this.hung;
    this.hung = [];
    for (const resume of hung) resume();
  }
}
