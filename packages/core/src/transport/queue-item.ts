/**
 * @internal One request waiting to be sent. `payload` is already JSON-safe (our own snapshot);
 * it is turned into the `body` string once, just before the first send.
 */
export interface QueueItem {
  kind: "trace" | "spans" | "score";
  method: "POST" | "PATCH";
  path: string;
  payload: unknown;
  body?: string;
  /** Approximate size in characters (for the queue's byte cap). */
  bytes: number;
  /** Sent as `X-Request-ID`, the same on every retry. */
  requestId: string;
  /** Failed attempts so far (429s are not counted). */
  attempts: number;
  /** The trace this item belongs to. */
  traceId?: string;
  /** Items released when this one is delivered (span chunks beyond the first 500). */
  followUps?: QueueItem[];
  /** 404 means "not persisted yet": retry (span chunks, late spans). */
  retryNotFound?: boolean;
}
