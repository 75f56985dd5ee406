/** Write routes for traces and spans: POST /traces, spans, PATCHes, deletes. */
import { randomUUID } from "node:crypto";
import { jsonbRefusal } from "../nul.js";
import { InternalServerError, patchSpan, patchTrace } from "../patch.js";
import { traceResponse, spanResponse } from "../store.js";
import { upsertSpan } from "../upsert.js";
import { canonicalUuid } from "../uuid.js";
import { HttpError, type RouteContext, type RouteDef } from "./context.js";

type Body = Record<string, unknown>;

export function traceNotFound(traceId: string): HttpError {
  return new HttpError(404, { detail: `Trace ${traceId} not found.` });
}

/** The trace of the path, visible in the request's project, or a 404. */
function requireTrace(ctx: RouteContext) {
  const traceId = canonicalUuid(ctx.params.trace_id);
  const row = ctx.store.traceInProject(traceId, ctx.project().id);
  if (!row) throw traceNotFound(traceId);
  return row;
}

const createTrace: RouteDef = {
  handle(ctx) {
    const refused = ctx.services.checkTraceLimits(ctx.credential, ctx.organization);
    if (refused) return refused;
    const body = ctx.body as Body;
    const traceId = typeof body.trace_id === "string" ? canonicalUuid(body.trace_id) : randomUUID();
    ctx.services.enqueueTrace(ctx.project().id, traceId, body, ctx.request);
    return { status: 202, body: { trace_id: traceId, task_id: randomUUID() } };
  },
};

const addSpans: RouteDef = {
  uuidParams: ["trace_id"],
  handle(ctx) {
    const trace = requireTrace(ctx);
    if (jsonbRefusal(ctx.body)) throw new InternalServerError(`${jsonbRefusal(ctx.body)} rejected by Postgres`);
    const ids = (ctx.body as Body[]).map((span) => upsertSpan(ctx.store, trace.trace_id, span));
    ctx.services.changed();
    return { status: 201, body: { span_ids: ids } };
  },
};

const updateTrace: RouteDef = {
  uuidParams: ["trace_id"],
  handle(ctx) {
    const row = requireTrace(ctx);
    if (jsonbRefusal(ctx.body)) throw new InternalServerError(`${jsonbRefusal(ctx.body)} rejected by Postgres`);
    const next = patchTrace(row, ctx.body as Body);
    ctx.store.traces.set(next.trace_id, next);
    ctx.services.changed();
    return { status: 200, body: traceResponse(ctx.store, next) };
  },
};

const updateSpan: RouteDef = {
  uuidParams: ["trace_id", "span_id"],
  handle(ctx) {
    const trace = requireTrace(ctx);
    const spanId = canonicalUuid(ctx.params.span_id);
    const span = ctx.store.spans.get(spanId);
    if (!span || span.trace_id !== trace.trace_id) {
      throw new HttpError(404, { detail: `Span ${spanId} not found on trace ${trace.trace_id}.` });
    }
    if (jsonbRefusal(ctx.body)) throw new InternalServerError(`${jsonbRefusal(ctx.body)} rejected by Postgres`);
    const next = patchSpan(span, ctx.body as Body);
    ctx.store.putSpan(next);
    ctx.services.changed();
    return { status: 200, body: spanResponse(next) };
  },
};

const deleteTrace: RouteDef = {
  uuidParams: ["trace_id"],
  handle(ctx) {
    const row = requireTrace(ctx);
    ctx.store.deleteTrace(row.trace_id);
    ctx.services.changed();
    return { status: 204 };
  },
};

const batchDelete: RouteDef = {
  handle(ctx) {
    const projectId = ctx.project().id;
    let deleted = 0;
    for (const id of (ctx.body as { trace_ids: string[] }).trace_ids) {
      const traceId = canonicalUuid(id);
      if (ctx.store.traceInProject(traceId, projectId)) {
        ctx.store.deleteTrace(traceId);
        deleted += 1;
      }
    }
    ctx.services.changed();
    return { status: 200, body: { deleted } };
  },
};

export const traceWriteRoutes: Record<string, RouteDef> = {
  "POST /traces": createTrace,
  "POST /traces/{trace_id}/spans": addSpans,
  "PATCH /traces/{trace_id}": updateTrace,
  "PATCH /traces/{trace_id}/spans/{span_id}": updateSpan,
  "DELETE /traces/{trace_id}": deleteTrace,
  "POST /traces/batch/delete": batchDelete,
};
