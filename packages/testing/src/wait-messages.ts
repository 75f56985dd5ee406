/** Helpful timeout messages for `waitForTraces` / `waitForRequests`: what was received instead. */
import type { RecordedRequest, TraceResponse } from "./types.js";

const MAX_LINES = 25;

function describeRequest(r: RecordedRequest): string {
  const body = r.body as Record<string, unknown> | undefined;
  const bits: string[] = [];
  if (body && typeof body === "object" && !Array.isArray(body)) {
    if (typeof body.name === "string") bits.push(`name=${JSON.stringify(body.name)}`);
    if (typeof body.trace_id === "string") bits.push(`trace_id=${body.trace_id}`);
    if (Array.isArray(body.spans)) bits.push(`spans=${body.spans.length}`);
  } else if (Array.isArray(body)) {
    bits.push(`items=${body.length}`);
  }
  const status = r.status === undefined ? "pending" : r.status === 0 ? "reset" : String(r.status);
  const extra = [
    r.fault,
    r.dropped === "nul"
      ? "DROPPED (contains \\u0000)"
      : r.dropped === "lone-surrogate"
        ? "DROPPED (contains a lone surrogate)"
        : undefined,
  ]
    .filter(Boolean)
    .join("; ");
  const response = r.status !== undefined && r.status >= 400 ? ` ${JSON.stringify(r.response)?.slice(0, 300)}` : "";
  return `  #${r.seq} ${r.method} ${r.path} -> ${status}${response} ${bits.join(" ")}${extra ? ` [${extra}]` : ""}`;
}

function requestLines(log: RecordedRequest[]): string {
  if (log.length === 0) return "  (no requests received)";
  const lines = log.slice(-MAX_LINES).map(describeRequest);
  if (log.length > MAX_LINES) lines.unshift(`  ... ${log.length - MAX_LINES} earlier request(s)`);
  return lines.join("\n");
}

export function describeTraceWait(
  n: number,
  timeoutMs: number,
  all: TraceResponse[],
  matching: number,
  pending: number,
  log: RecordedRequest[],
): string {
  const traces = all
    .slice(-MAX_LINES)
    .map((t) => `  ${t.trace_id} ${JSON.stringify(t.name)} status=${t.status} spans=${t.spans.length}`);
  return [
    `waitForTraces(${n}) timed out after ${timeoutMs} ms: ${matching} matching persisted trace(s), ` +
      `${all.length} persisted in total, ${pending} still queued.`,
    "Persisted traces:",
    traces.length ? traces.join("\n") : "  (none)",
    "Requests received:",
    requestLines(log),
  ].join("\n");
}

export function describeRequestWait(
  count: number,
  timeoutMs: number,
  matching: number,
  log: RecordedRequest[],
): string {
  return [
    `waitForRequests timed out after ${timeoutMs} ms: wanted ${count}, got ${matching} matching request(s).`,
    "Requests received:",
    requestLines(log),
  ].join("\n");
}
