import type { QueueItem } from "./queue-item.js";

/** Traces not delivered yet are remembered this long, so scores for them wait. */
const HELD_TTL_MS = 10 * 60_000;
/** The held-trace map is pruned of expired entries when it grows past this (then past twice its size). */
const PRUNE_AT = 50_000;

/**
 * Scores wait ("park") until their trace is delivered: the backend accepts a score only for a trace it
 * has stored. A trace is held from its start until it is delivered or given up; a score for a held
 * trace is parked, and handed back when the trace's fate is known.
 */
export class ScoreParking {
  private readonly held = new Map<string, number>();
  private pruneAt = PRUNE_AT;
  private readonly parked = new Map<string, QueueItem[]>();
  /** Scores parked now. */
  count = 0;

  /** A trace started (at `now`): scores for it wait until it is delivered. */
  hold(traceId: string, now: number): void {
    this.held.set(traceId, now);
    if (this.held.size > this.pruneAt) {
      for (const [id, t] of this.held) if (now - t > HELD_TTL_MS) this.held.delete(id);
      this.pruneAt = Math.max(PRUNE_AT, this.held.size * 2);
    }
  }

  /** Parks `item` if it is a score whose trace is still held; false when it can be sent now. */
  park(item: QueueItem): boolean {
    if (item.kind !== "score" || !item.traceId || !this.isHeld(item.traceId)) return false;
    const list = this.parked.get(item.traceId);
    if (list) list.push(item);
    else this.parked.set(item.traceId, [item]);
    this.count++;
    return true;
  }

  /** The trace was delivered or given up: stops holding it and returns its parked scores, if any. */
  settle(traceId: string): QueueItem[] | undefined {
    this.held.delete(traceId);
    const scores = this.parked.get(traceId);
    if (!scores) return undefined;
    this.parked.delete(traceId);
    this.count -= scores.length;
    return scores;
  }

  /** Every parked score, unparked (process exit sends them anyway; traces may still be held). */
  takeAll(): QueueItem[] {
    const all: QueueItem[] = [];
    for (const list of this.parked.values()) all.push(...list);
    this.parked.clear();
    this.count = 0;
    return all;
  }

  /** Forgets every parked score (shutdown; the caller counts them). */
  clear(): void {
    this.parked.clear();
    this.count = 0;
  }

  private isHeld(traceId: string): boolean {
    const t = this.held.get(traceId);
    return t !== undefined && Date.now() - t < HELD_TTL_MS;
  }
}
