/** `formatTraceTree`: a readable tree of a persisted trace and its spans (used by the demo and in test output). */
import type { SpanResponse, TraceResponse } from "./types.js";

function usageText(usage: Record<string, unknown> | null): string {
  if (!usage) return "";
  const p = usage.prompt_tokens;
  const c = usage.completion_tokens;
  if (typeof p !== "number" && typeof c !== "number") return "";
  return ` tokens=${typeof p === "number" ? p : "?"}+${typeof c === "number" ? c : "?"}`;
}

function durationText(ms: number | null): string {
  if (ms === null) return " (open)";
  return ms < 1000 ? ` ${Math.round(ms)}ms` : ` ${(ms / 1000).toFixed(2)}s`;
}

function spanLine(span: SpanResponse): string {
  const model = span.model ? ` model=${span.model}` : "";
  const status = span.status === "ERROR" ? ` ERROR${span.error ? `: ${span.error}` : ""}` : "";
  return `[${span.kind}] ${span.name}${model}${usageText(span.token_usage)}${durationText(span.latency_ms)}${status}`;
}

/** Renders a trace as a tree: spans nested under their parent_span_id (orphans at the root, marked). */
export function formatTraceTree(trace: TraceResponse): string {
  const byParent = new Map<string | null, SpanResponse[]>();
  const ids = new Set(trace.spans.map((s) => s.span_id));
  for (const span of trace.spans) {
    const parent = span.parent_span_id && ids.has(span.parent_span_id) ? span.parent_span_id : null;
    const list = byParent.get(parent) ?? [];
    list.push(span);
    byParent.set(parent, list);
  }
  const who = [trace.user_id ? `user=${trace.user_id}` : "", trace.session_id ? `session=${trace.session_id}` : ""]
    .filter(Boolean)
    .join(" ");
  const tokens = trace.total_tokens ? ` tokens=${trace.total_tokens}` : "";
  const lines = [`${trace.name} [${trace.status}]${who ? ` ${who}` : ""}${tokens}`];
  const walk = (parent: string | null, prefix: string, seen: Set<string>): void => {
    const children = byParent.get(parent) ?? [];
    children.forEach((span, i) => {
      const last = i === children.length - 1;
      const orphan = parent === null && span.parent_span_id ? " (parent missing)" : "";
      lines.push(`${prefix}${last ? "└─ " : "├─ "}${spanLine(span)}${orphan}`);
      if (seen.has(span.span_id)) return; // defensive: never loop on a cycle
      walk(span.span_id, `${prefix}${last ? "   " : "│  "}`, new Set(seen).add(span.span_id));
    });
  };
  walk(null, "", new Set());
  return lines.join("\n");
}
