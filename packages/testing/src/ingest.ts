/** The ingestion side of POST /traces: per-credential rate limit, plan quota, and the delayed "worker". */
import { jsonbRefusal } from "./nul.js";
import { FixedWindowLimiter } from "./rate-limit.js";
import type { IngestServices, RouteResult } from "./routes/context.js";
import type { Store } from "./store.js";
import type { RecordedRequest, StandInOptions } from "./types.js";
import { upsertTrace } from "./upsert.js";

export class Ingest implements IngestServices {
  private readonly limiter: FixedWindowLimiter | undefined;
  private readonly quotaUsed = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Jobs held for `persistQueued()` (persistDelayMs: Infinity, a worker that runs only when the test says so). */
  private held: Array<() => void> = [];

  constructor(
    private readonly store: Store,
    private readonly options: StandInOptions,
    readonly changed: () => void,
  ) {
    const limit = options.traceRateLimit ?? { limit: 100, windowMs: 60_000 };
    this.limiter = limit ? new FixedWindowLimiter(limit) : undefined;
    this.quota = options.quota;
  }

  /** Traces accepted but not yet persisted. */
  get pendingCount(): number {
    return this.timers.size + this.held.length;
  }

  /** The plan quota now in force (changed by `StandIn.setQuota`). */
  quota: StandInOptions["quota"];

  checkTraceLimits(credential: string, organization: string): RouteResult | undefined {
    if (this.limiter && !this.limiter.hit(credential)) return { status: 429, body: this.limiter.errorBody };
    const quota = this.quota;
    if (!quota) return undefined;
    if (quota.subscription === "none") {
      return { status: 429, body: { detail: "No active subscription found for this organization." } };
    }
    if (quota.subscription === "inactive") return { status: 429, body: { detail: "Your subscription is not active." } };
    const plan = quota.plan ?? "HOBBY";
    if (plan !== "HOBBY" && quota.limit === undefined) return undefined;
    const limit = quota.limit ?? 100;
    const used = (this.quotaUsed.get(organization) ?? 0) + 1;
    this.quotaUsed.set(organization, used);
    if (used > limit) {
      return {
        status: 429,
        body: {
          detail: `You've reached the traces limit (${limit}) for your ${plan} plan. Please upgrade to continue.`,
        },
      };
    }
    return undefined;
  }

  enqueueTrace(projectId: string, traceId: string, body: Record<string, unknown>, request: RecordedRequest): void {
    const job = (): void => {
      const refusal = jsonbRefusal(body);
      if (refusal) {
        request.dropped = refusal; // Postgres rejects it; the worker gives up silently after its retries.
      } else {
        upsertTrace(this.store, projectId, traceId, body);
      }
      this.changed();
    };
    const delay = this.options.persistDelayMs ?? 0;
    if (delay <= 0) {
      job();
      return;
    }
    if (delay === Number.POSITIVE_INFINITY) {
      this.held.push(job);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      job();
    }, delay);
    this.timers.add(timer);
  }

  /** Runs the held worker jobs now (in arrival order); returns how many ran. */
  persistHeld(): number {
    const jobs = this.held;
    this.held = [];
    for (const job of jobs) job();
    return jobs.length;
  }

  /** Drops queued traces and counters. */
  reset(): void {
    this.held = [];
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.limiter?.reset();
    this.quotaUsed.clear();
    this.quota = this.options.quota;
  }
}
