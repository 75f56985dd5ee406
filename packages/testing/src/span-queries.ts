/** Queries over a stored trace's spans, and its span tree as text, for tests' assertions. */
import { toMicros } from "./datetime.js";
import type { SpanResponse, TraceResponse } from "./types.js";

/** Spans in start order (microseconds); spans that started together keep the order the trace lists them in. */
function byStart(trace: TraceResponse, spans: SpanResponse[]): SpanResponse[] {
  const index = new Map(trace.spans.map((s, i) => [s, i]));
  const at = (s: SpanResponse) => toMicros(s.started_at) ?? 0;
  return [...spans].sort((a, b) => at(a) - at(b) || index.get(a)! - index.get(b)!);
}

/** The spans named `name`, in start order. */
export function spansNamed(trace: TraceResponse, name: string): SpanResponse[] {
  return byStart(
    trace,
    trace.spans.filter((s) => s.name === name),
  );
}

/** The one span named `name`; throws (naming the spans there are) when there is not exactly one. */
export function oneSpan(trace: TraceResponse, name: string): SpanResponse {
  const found = spansNamed(trace, name);
  if (found.length !== 1)
    throw new Error(`expected one span "${name}", got ${found.length}: ${trace.spans.map((s) => s.name).join(", ")}`);
  return found[0]!;
}

/** The trace's only span; throws when it has another number of spans. */
export function onlySpan(trace: TraceResponse): SpanResponse {
  if (trace.spans.length !== 1) throw new Error(`expected 1 span, got ${trace.spans.length}`);
  return trace.spans[0]!;
}

/** The children of `parent` (the root spans when undefined), in start order. */
export function childrenOf(trace: TraceResponse, parent: SpanResponse | undefined): SpanResponse[] {
  return byStart(
    trace,
    trace.spans.filter((s) => (s.parent_span_id ?? undefined) === parent?.span_id),
  );
}

/** The names of the children of `parent`, in start order. */
export function childNames(trace: TraceResponse, parent: SpanResponse | undefined): string[] {
  return childrenOf(trace, parent).map((s) => s.name);
}

/** The single root span; throws when there is not exactly one. */
export function rootSpan(trace: TraceResponse): SpanResponse {
  const roots = childrenOf(trace, undefined);
  if (roots.length !== 1) throw new Error(`expected one root span, got ${roots.length}`);
  return roots[0]!;
}

/**
 * The span tree as lines, children indented under their parent in start order: `name (KIND)`, or
 * `name (KIND, ERROR)`. For assertions on a trace's shape: `expect(outline(trace)).toEqual([...])`.
 */
export function outline(trace: TraceResponse): string[] {
  const lines: string[] = [];
  const walk = (parent: SpanResponse | undefined, depth: number) => {
    for (const s of childrenOf(trace, parent)) {
      lines.push(`${"  ".repeat(depth)}${s.name} (${s.kind}${s.status === "ERROR" ? ", ERROR" : ""})`);
      walk(s, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}

/**
 * Where span times do not nest: a span that starts before its parent, ends after it, or ends before it starts
 * (compared to the microsecond). Empty when the tree is well formed.
 */
export function spanTimeProblems(trace: TraceResponse): string[] {
  const byId = new Map(trace.spans.map((s) => [s.span_id, s]));
  const problems: string[] = [];
  for (const s of trace.spans) {
    const start = toMicros(s.started_at)!;
    const end = s.ended_at ? toMicros(s.ended_at)! : undefined;
    if (end === undefined) problems.push(`${s.name}: never ended`);
    else if (end < start) problems.push(`${s.name}: ends ${start - end} us before it starts`);
    const first = s.completion_start_time ? toMicros(s.completion_start_time)! : undefined;
    if (first !== undefined && (first < start || (end !== undefined && first > end)))
      problems.push(`${s.name}: completion_start_time outside the span`);
    const parent = s.parent_span_id ? byId.get(s.parent_span_id) : undefined;
    if (!parent) continue;
    const pStart = toMicros(parent.started_at)!;
    const pEnd = parent.ended_at ? toMicros(parent.ended_at)! : undefined;
    if (start < pStart) problems.push(`${s.name}: starts ${pStart - start} us before its parent ${parent.name}`);
    if (end !== undefined && pEnd !== undefined && end > pEnd)
      problems.push(`${s.name}: ends ${end - pEnd} us after its parent ${parent.name}`);
  }
  return problems;
}
