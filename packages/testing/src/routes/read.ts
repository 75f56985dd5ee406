/** Read routes used by end-to-end checks: GET /traces/{id}, GET /traces, GET /sessions/{id}, DELETE session. */
import { diffMs, toMicros } from "../datetime.js";
import { spanCost, spanTokens, traceResponse, type TraceRow } from "../store.js";
import type { FieldError } from "../validate.js";
import { canonicalUuid } from "../uuid.js";
import { HttpError, type RouteContext, type RouteDef } from "./context.js";
import { dateParam, enumParam, intParam } from "./query.js";
import { traceNotFound } from "./traces.js";

const SORT_BY = ["started_at", "ended_at", "name", "latency", "status"];
const STATUSES = ["PENDING", "RUNNING", "COMPLETED", "ERROR"];

function projectTraces(ctx: RouteContext): TraceRow[] {
  const projectId = ctx.project().id;
  return [...ctx.store.traces.values()].filter((t) => t.project_id === projectId);
}

function listItem(ctx: RouteContext, row: TraceRow) {
  const spans = ctx.store.spansOf(row.trace_id);
  return {
    trace_id: row.trace_id,
    name: row.name,
    status: row.status,
    started_at: row.started_at,
    ended_at: row.ended_at,
    session_id: row.session_id,
    user_id: row.user_id,
    tags: [...row.tags],
    environment: row.environment,
    release: row.release,
    latency_ms: diffMs(row.ended_at, row.started_at),
    span_count: spans.length,
    total_tokens: spans.reduce((s, x) => s + spanTokens(x), 0),
    total_cost: spans.reduce((s, x) => s + spanCost(x), 0),
  };
}

function sortKey(row: ReturnType<typeof listItem>, by: string): number | string {
  if (by === "name" || by === "status") return row[by];
  if (by === "latency") return row.latency_ms ?? -Infinity;
  return toMicros(by === "ended_at" ? row.ended_at : row.started_at) ?? -Infinity;
}

function listQuery(q: URLSearchParams): FieldError[] {
  const errors: FieldError[] = [];
  intParam(q, "limit", errors, 50, 1, 200);
  intParam(q, "offset", errors, 0, 0);
  enumParam(q, "status", errors, STATUSES);
  enumParam(q, "sort_by", errors, SORT_BY);
  enumParam(q, "sort_order", errors, ["asc", "desc"]);
  dateParam(q, "started_after", errors);
  dateParam(q, "started_before", errors);
  return errors;
}

const listTraces: RouteDef = {
  query: listQuery,
  handle(ctx) {
    const q = ctx.query;
    const ignored: FieldError[] = [];
    const limit = intParam(q, "limit", ignored, 50, 1, 200);
    const offset = intParam(q, "offset", ignored, 0, 0);
    const after = dateParam(q, "started_after", ignored);
    const before = dateParam(q, "started_before", ignored);
    const tags = q.getAll("tags");
    const name = q.get("name")?.toLowerCase();
    const rows = projectTraces(ctx).filter((t) => {
      const started = toMicros(t.started_at) ?? 0;
      return (
        (!q.get("session_id") || t.session_id === q.get("session_id")) &&
        (!q.get("user_id") || t.user_id === q.get("user_id")) &&
        (!q.get("status") || t.status === q.get("status")) &&
        (tags.length === 0 || t.tags.some((tag) => tags.includes(tag))) &&
        (!name || t.name.toLowerCase().includes(name)) &&
        (after === undefined || started >= after) &&
        (before === undefined || started <= before)
      );
    });
    const by = q.get("sort_by") ?? "started_at";
    const dir = q.get("sort_order") === "asc" ? 1 : -1;
    const items = rows
      .map((r) => listItem(ctx, r))
      .sort((a, b) => {
        const x = sortKey(a, by);
        const y = sortKey(b, by);
        return (x < y ? -1 : x > y ? 1 : 0) * dir;
      });
    return { status: 200, body: { items: items.slice(offset, offset + limit), total: items.length, limit, offset } };
  },
};

const getTrace: RouteDef = {
  uuidParams: ["trace_id"],
  handle(ctx) {
    const traceId = canonicalUuid(ctx.params.trace_id);
    const row = ctx.store.traceInProject(traceId, ctx.project().id);
    if (!row) throw traceNotFound(traceId);
    return { status: 200, body: traceResponse(ctx.store, row) };
  },
};

function sessionTraces(ctx: RouteContext): TraceRow[] {
  const id = ctx.params.session_id;
  const rows = projectTraces(ctx).filter((t) => t.session_id === id);
  if (rows.length === 0) throw new HttpError(404, { detail: `Session '${id}' not found.` });
  return rows.sort((a, b) => (toMicros(a.started_at) ?? 0) - (toMicros(b.started_at) ?? 0));
}

const getSession: RouteDef = {
  query(q) {
    const errors: FieldError[] = [];
    intParam(q, "limit", errors, 200, 1, 1000);
    intParam(q, "offset", errors, 0, 0);
    return errors;
  },
  handle(ctx) {
    const rows = sessionTraces(ctx);
    const ignored: FieldError[] = [];
    const limit = intParam(ctx.query, "limit", ignored, 200, 1, 1000);
    const offset = intParam(ctx.query, "offset", ignored, 0, 0);
    const full = rows.map((r) => traceResponse(ctx.store, r));
    const latencies = rows.map((r) => diffMs(r.ended_at, r.started_at)).filter((x): x is number => x !== null);
    const ended = rows.map((r) => r.ended_at).filter((x): x is string => x !== null);
    ended.sort((a, b) => (toMicros(a) ?? 0) - (toMicros(b) ?? 0));
    return {
      status: 200,
      body: {
        session_id: ctx.params.session_id,
        trace_count: rows.length,
        first_trace_at: rows[0].started_at,
        last_trace_at: ended.length ? ended[ended.length - 1] : null,
        total_latency_ms: latencies.length ? latencies.reduce((a, b) => a + b, 0) : null,
        has_error: rows.some((r) => r.status === "ERROR"),
        user_id: rows.find((r) => r.user_id !== null)?.user_id ?? null,
        tags: [...new Set(rows.flatMap((r) => r.tags))].sort(),
        total_span_count: full.reduce((s, t) => s + t.spans.length, 0),
        total_tokens: full.reduce((s, t) => s + t.total_tokens, 0),
        total_cost: full.reduce((s, t) => s + t.total_cost, 0),
        traces: full.slice(offset, offset + limit),
      },
    };
  },
};

const deleteSession: RouteDef = {
  handle(ctx) {
    const rows = sessionTraces(ctx);
    for (const row of rows) ctx.store.deleteTrace(row.trace_id);
    ctx.services.changed();
    return { status: 200, body: { deleted: rows.length } };
  },
};

export const readRoutes: Record<string, RouteDef> = {
  "GET /traces": listTraces,
  "GET /traces/{trace_id}": getTrace,
  "GET /sessions/{session_id}": getSession,
  "DELETE /sessions/{session_id}": deleteSession,
};
