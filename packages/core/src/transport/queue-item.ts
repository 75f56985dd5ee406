/**
 * @internal One request waiting to be sent. Its body is serialised once, when it is queued: a queued
 * item holds one string, not an object graph (cheap to keep through garbage collections), and its
 * size is exact.
 */
export interface QueueItem {
  kind: "trace" | "spans" | "score";
  method: "POST" | "PATCH";
  path: string;
  /** The JSON body (its length counts against the queue's byte cap). */
  body: string;
  /** Sent as `X-Request-ID`, the same on every retry. */
  requestId: string;
  /** Failed attempts so far while the backend failed (429s and "not stored yet" answers are not counted). */
  attempts: number;
  /** The trace this item belongs to. */
  traceId?: string;
  /** Items released when this one is delivered (span chunks beyond the first 500). */
  followUps?: QueueItem[];
  /** 404 means "its trace is not stored yet": retry (span chunks, late spans). */
  retryNotFound?: boolean;
  /** When the backend first answered that this item's trace is not stored yet (scores, span chunks). */
  waitingSince?: number;
  /** Retries while waiting for the trace to be stored. */
  waits?: number;
  /** Called once when the item is settled (delivered, failed or dropped): a delivery registered with `waitUntil`. */
  onSettled?: () => void;
  /** Traces: it or one of its spans has an error (shed last). */
  error?: boolean;
  /** Traces: the conversation (session) it belongs to. */
  sessionId?: string;
  /** Traces: when its conversation (or the trace itself, without one) first entered the queue (newest shed first). */
  order?: number;
}
