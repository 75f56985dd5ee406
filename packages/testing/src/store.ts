/** In-memory "database" of the stand-in: projects, persisted traces and spans, scores; plus read-side views. */
import { randomUUID } from "node:crypto";
import { diffMs, toMicros } from "./datetime.js";
import type { SpanResponse, TraceResponse, TraceScoreResponse } from "./types.js";

/** A stored trace row (no spans: spans live in their own table, as on the server). */
export type TraceRow = Omit<TraceResponse, "spans" | "total_tokens" | "total_cost">;

/** A stored span row (the read-side latency fields are computed on read). */
export type SpanRow = Omit<SpanResponse, "latency_ms" | "time_to_first_token_ms">;

export interface Project {
  id: string;
  name: string;
  organization: string;
}

function numberOr0(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** Server-side totals: only prompt_tokens + completion_tokens and cost.total count (§2.2). */
export function spanTokens(span: SpanRow): number {
  return numberOr0(span.token_usage?.prompt_tokens) + numberOr0(span.token_usage?.completion_tokens);
}

export function spanCost(span: SpanRow): number {
  return numberOr0(span.cost?.total);
}

export class Store {
  readonly projects = new Map<string, Project>();
  /** Persisted traces by id, in first-persist order. */
  readonly traces = new Map<string, TraceRow>();
  readonly spans = new Map<string, SpanRow>();
  readonly spansByTrace = new Map<string, Set<string>>();
  scores: TraceScoreResponse[] = [];

  /** Finds a project by exact name within an organization. */
  findProject(organization: string, name: string): Project | undefined {
    return this.projects.get(`${organization}\u0000${name}`);
  }

  createProject(organization: string, name: string): Project {
    const project = { id: randomUUID(), name, organization };
    this.projects.set(`${organization}\u0000${name}`, project);
    return project;
  }

  deleteProject(project: Project): void {
    this.projects.delete(`${project.organization}\u0000${project.name}`);
  }

  /** A trace visible in `projectId` (undefined when missing, still queued, or in another project). */
  traceInProject(traceId: string, projectId: string): TraceRow | undefined {
    const row = this.traces.get(traceId);
    return row && row.project_id === projectId ? row : undefined;
  }

  putSpan(span: SpanRow): void {
    this.spans.set(span.span_id, span);
    let set = this.spansByTrace.get(span.trace_id);
    if (!set) this.spansByTrace.set(span.trace_id, (set = new Set()));
    set.add(span.span_id);
  }

  /** Spans of a trace ordered by started_at, then span_id (as the server returns them). */
  spansOf(traceId: string): SpanRow[] {
    const ids = [...(this.spansByTrace.get(traceId) ?? [])];
    const rows = ids.map((id) => this.spans.get(id)).filter((s): s is SpanRow => s !== undefined);
    return rows.sort(
      (a, b) => (toMicros(a.started_at) ?? 0) - (toMicros(b.started_at) ?? 0) || (a.span_id < b.span_id ? -1 : 1),
    );
  }

  deleteTrace(traceId: string): void {
    for (const id of this.spansByTrace.get(traceId) ?? []) this.spans.delete(id);
    this.spansByTrace.delete(traceId);
    this.traces.delete(traceId);
    this.scores = this.scores.filter((s) => s.trace_id !== traceId);
  }

  clear(): void {
    this.projects.clear();
    this.traces.clear();
    this.spans.clear();
    this.spansByTrace.clear();
    this.scores = [];
  }
}

/** `SpanResponse` view of a stored span (a deep copy). */
export function spanResponse(s: SpanRow): SpanResponse {
  return structuredClone({
    span_id: s.span_id,
    trace_id: s.trace_id,
    parent_span_id: s.parent_span_id,
    name: s.name,
    kind: s.kind,
    status: s.status,
    input: s.input,
    output: s.output,
    model: s.model,
    token_usage: s.token_usage,
    metadata: s.metadata,
    started_at: s.started_at,
    ended_at: s.ended_at,
    error: s.error,
    completion_start_time: s.completion_start_time,
    model_parameters: s.model_parameters,
    cost: s.cost,
    latency_ms: diffMs(s.ended_at, s.started_at),
    time_to_first_token_ms: diffMs(s.completion_start_time, s.started_at),
  });
}

/** `TraceResponse` view (spans inline, plus the server's total_tokens / total_cost), a deep copy. */
export function traceResponse(store: Store, row: TraceRow): TraceResponse {
  const spans = store.spansOf(row.trace_id);
  const r = structuredClone(row);
  return {
    trace_id: r.trace_id,
    project_id: r.project_id,
    name: r.name,
    status: r.status,
    input: r.input,
    output: r.output,
    metadata: r.metadata,
    started_at: r.started_at,
    ended_at: r.ended_at,
    session_id: r.session_id,
    user_id: r.user_id,
    tags: r.tags,
    environment: r.environment,
    release: r.release,
    spans: spans.map(spanResponse),
    total_tokens: spans.reduce((sum, s) => sum + spanTokens(s), 0),
    total_cost: spans.reduce((sum, s) => sum + spanCost(s), 0),
  };
}
