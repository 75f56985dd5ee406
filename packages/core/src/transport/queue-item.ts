/** @internal One request waiting to be sent. The body is serialised once, when queued. */
export interface QueueItem {
  kind: "trace" | "spans" | "score";
  method: "POST" | "PATCH";
  path: string;
  body: string;
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
