/** PATCH semantics (§2.3): only present fields apply, explicit null clears, null on required fields is ignored. */
import { normalizeDateTime } from "./datetime.js";
import type { SpanRow, TraceRow } from "./store.js";

type Body = Record<string, unknown>;

/** Thrown for the backend's known 500 (`{"name": ""}` on a PATCH): the change is rolled back. */
export class InternalServerError extends Error {}

const TRACE_CLEARABLE = ["input", "output", "session_id", "user_id", "environment", "release"] as const;
const SPAN_CLEARABLE = ["input", "output", "model", "token_usage", "error", "model_parameters", "cost"] as const;
const SPAN_TIMES = ["ended_at", "completion_start_time"] as const;

function has(body: Body, key: string): boolean {
  return Object.hasOwn(body, key);
}

function applyRequired(target: Record<string, unknown>, body: Body, keys: readonly string[]): void {
  for (const key of keys) {
    if (!has(body, key) || body[key] === null) continue;
    if (key === "name" && body[key] === "") throw new InternalServerError("empty name violates a database check");
    target[key] = structuredClone(body[key]);
  }
}

function mergeMetadata(current: Record<string, unknown>, patch: unknown): Record<string, unknown> {
  return patch && typeof patch === "object" ? { ...current, ...structuredClone(patch as Body) } : current;
}

/** Returns the patched copy of a trace row. */
export function patchTrace(row: TraceRow, body: Body): TraceRow {
  const next: TraceRow = structuredClone(row);
  applyRequired(next as unknown as Body, body, ["name", "status", "tags"]);
  for (const key of TRACE_CLEARABLE) if (has(body, key)) (next as unknown as Body)[key] = structuredClone(body[key]);
  if (has(body, "ended_at")) next.ended_at = normalizeDateTime(body.ended_at);
  if (has(body, "metadata")) next.metadata = mergeMetadata(next.metadata, body.metadata);
  return next;
}

/** Returns the patched copy of a span row (cost values coerced to numbers). */
export function patchSpan(row: SpanRow, body: Body): SpanRow {
  const next: SpanRow = structuredClone(row);
  applyRequired(next as unknown as Body, body, ["name", "kind", "status"]);
  for (const key of SPAN_CLEARABLE) if (has(body, key)) (next as unknown as Body)[key] = structuredClone(body[key]);
  for (const key of SPAN_TIMES) if (has(body, key)) next[key] = normalizeDateTime(body[key]);
  if (next.cost) next.cost = Object.fromEntries(Object.entries(next.cost).map(([k, v]) => [k, Number(v)]));
  if (has(body, "metadata")) next.metadata = mergeMetadata(next.metadata, body.metadata);
  return next;
}
