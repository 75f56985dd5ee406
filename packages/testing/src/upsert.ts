/** `POST /traces` and `POST /traces/{id}/spans` upsert semantics, exactly as observed on the backend (§2.6). */
import { randomUUID } from "node:crypto";
import { normalizeDateTime } from "./datetime.js";
import type { SpanRow, Store, TraceRow } from "./store.js";
import { canonicalUuid } from "./uuid.js";

type Body = Record<string, unknown>;

function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function obj(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? structuredClone(value as Record<string, unknown>)
    : null;
}

/** Cost values are floats on the server: numeric strings are coerced (pydantic lax mode). */
function cost(value: unknown): Record<string, number> | null {
  const o = obj(value);
  if (!o) return null;
  return Object.fromEntries(
    Object.entries(o).map(([k, v]) => [k, typeof v === "number" ? v : Number(String(v).trim())]),
  );
}

/** JSON values are stored as sent; omitted or null both become JSON null. */
function json(value: unknown): unknown {
  return value === undefined ? null : structuredClone(value);
}

/** Union of two tag lists, duplicates removed; the server returns it sorted. */
function tagUnion(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

/** Upserts one span (by span_id, globally) under `traceId`; returns its id. */
export function upsertSpan(store: Store, traceId: string, body: Body): string {
  const spanId = typeof body.span_id === "string" ? canonicalUuid(body.span_id) : randomUUID();
  const existing = store.spans.get(spanId);
  const common = {
    name: String(body.name),
    started_at: normalizeDateTime(body.started_at) as string,
    kind: str(body.kind) ?? "OTHER",
    status: str(body.status) ?? "UNSET",
    input: json(body.input),
    output: json(body.output),
    token_usage: obj(body.token_usage),
    model_parameters: obj(body.model_parameters),
    cost: cost(body.cost),
  };
  if (existing) {
    // trace_id and parent_span_id are never changed; a reused span_id modifies the span where it already lives.
    store.putSpan({
      ...existing,
      ...common,
      model: str(body.model) ?? existing.model,
      error: str(body.error) ?? existing.error,
      ended_at: normalizeDateTime(body.ended_at) ?? existing.ended_at,
      completion_start_time: normalizeDateTime(body.completion_start_time) ?? existing.completion_start_time,
      metadata: { ...existing.metadata, ...(obj(body.metadata) ?? {}) },
    });
    return spanId;
  }
  const row: SpanRow = {
    span_id: spanId,
    trace_id: traceId,
    parent_span_id: typeof body.parent_span_id === "string" ? canonicalUuid(body.parent_span_id) : null,
    ...common,
    model: str(body.model),
    error: str(body.error),
    ended_at: normalizeDateTime(body.ended_at),
    completion_start_time: normalizeDateTime(body.completion_start_time),
    metadata: obj(body.metadata) ?? {},
  };
  store.putSpan(row);
  return spanId;
}

/** Upserts a trace and its inline spans (the worker's `process_trace`). */
export function upsertTrace(store: Store, projectId: string, traceId: string, body: Body): void {
  const existing = store.traces.get(traceId);
  const tags = Array.isArray(body.tags) ? (body.tags as string[]) : [];
  const common = {
    name: String(body.name),
    started_at: normalizeDateTime(body.started_at) as string,
    status: str(body.status) ?? "COMPLETED",
    input: json(body.input),
    output: json(body.output),
  };
  let row: TraceRow;
  if (existing) {
    // Conflict target is trace_id alone: project_id is never updated (cross-project overwrite, §2.6).
    row = {
      ...existing,
      ...common,
      ended_at: normalizeDateTime(body.ended_at) ?? existing.ended_at,
      session_id: str(body.session_id) ?? existing.session_id,
      user_id: str(body.user_id) ?? existing.user_id,
      environment: str(body.environment) ?? existing.environment,
      release: str(body.release) ?? existing.release,
      metadata: { ...existing.metadata, ...(obj(body.metadata) ?? {}) },
      tags: tagUnion(existing.tags, tags),
    };
  } else {
    row = {
      trace_id: traceId,
      project_id: projectId,
      ...common,
      ended_at: normalizeDateTime(body.ended_at),
      session_id: str(body.session_id),
      user_id: str(body.user_id),
      environment: str(body.environment),
      release: str(body.release),
      metadata: obj(body.metadata) ?? {},
      tags: [...tags],
    };
  }
  store.traces.set(traceId, row);
  for (const span of (body.spans as Body[] | undefined) ?? []) upsertSpan(store, traceId, span);
}
