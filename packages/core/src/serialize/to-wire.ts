import type { ResolvedConfig } from "../config/options.js";
import type { SpanImpl } from "../tracing/span-impl.js";
import type { TraceImpl } from "../tracing/trace-impl.js";
import { logger } from "../utils/logger.js";
import { toIso } from "../utils/time.js";
import { ID_MAX, limitName, limitOptional } from "./limits.js";
import { stripNul, toSafeJson } from "./safe-json.js";
import { checkMessagesConvention } from "./schema-warnings.js";

/** The backend accepts at most 500 spans in one request. */
export const SPANS_PER_REQUEST = 500;

type Json = Record<string, unknown>;

/** A JSON-safe request body (serialised when it is queued). */
export type Wire = Json;

/** The JSON-safe copy of a field, cut at `max` characters (with a warning, once per field kind). */
function field(value: unknown, max: number, label: string): unknown {
  if (value === undefined) return undefined;
  const { value: safe, truncated } = toSafeJson(value, max);
  if (truncated) logger.warnOnce(`truncated:${label}`, `a ${label} larger than maxFieldSize (${max} characters) was cut; look for "…[truncated" in the stored value.`);
  return safe;
}

/** `field()` for a field the schema types as an object: anything else is wrapped as `{ value }`; `{}` is omitted. */
function object(value: Record<string, unknown> | undefined, max: number, label: string): Json | undefined {
  if (!value) return undefined;
  const safe = field(value, max, label);
  if (!safe || typeof safe !== "object" || Array.isArray(safe)) return { value: safe };
  return Object.keys(safe).length ? (safe as Json) : undefined;
}

/**
 * The `SpanCreate` body for a span (fields not set are omitted, never sent as null). Built right
 * after the span ends (see finalizer.ts), so later changes to the objects it recorded do not count.
 */
export function spanToWire(span: SpanImpl, config: ResolvedConfig): Wire {
  const max = config.maxFieldSize;
  const out: Json = {
    span_id: span.id,
    name: limitName(span.name, "span name"),
    kind: span.kind,
    status: span.status,
    started_at: toIso(span.startMs),
  };
  if (span.parentId) out.parent_span_id = span.parentId;
  if (span.kind === "LLM") {
    checkMessagesConvention("LLM span input", span.input);
    checkMessagesConvention("LLM span output", span.output);
  }
  if (span.endMs !== undefined) out.ended_at = toIso(span.endMs);
  const input = field(span.input, max, "span input");
  if (input !== undefined) out.input = input;
  const output = field(span.output, max, "span output");
  if (output !== undefined) out.output = output;
  const model = limitOptional(span.model, ID_MAX, "model");
  if (model !== undefined) out.model = model;
  if (span.tokenUsage) out.token_usage = span.tokenUsage;
  const metadata = object(span.metadata, max, "span metadata");
  if (metadata) out.metadata = metadata;
  if (span.error !== undefined) out.error = field(span.error, max, "span error");
  if (span.completionStartMs !== undefined) out.completion_start_time = toIso(span.completionStartMs);
  if (span.modelParameters) {
    const mp = field(span.modelParameters, max, "model parameters");
    out.model_parameters = mp && typeof mp === "object" && !Array.isArray(mp) ? mp : { value: mp };
  }
  if (span.cost) out.cost = span.cost;
  return out;
}

/**
 * The `TraceCreate` body for a trace with its first 500 spans inline, plus the remaining spans
 * in chunks of 500 for `POST /traces/{id}/spans`. Spans already captured at their end are reused.
 */
export function traceToWire(trace: TraceImpl, config: ResolvedConfig): { trace: Wire; extraSpanChunks: Wire[][] } {
  const max = config.maxFieldSize;
  const body: Json = {
    trace_id: trace.id,
    name: limitName(trace.name, "trace name"),
    status: trace.status,
    started_at: toIso(trace.startMs),
  };
  if (trace.endMs !== undefined) body.ended_at = toIso(trace.endMs);
  checkMessagesConvention("trace input", trace.input);
  checkMessagesConvention("trace output", trace.output);
  const input = field(trace.input, max, "trace input");
  if (input !== undefined) body.input = input;
  const output = field(trace.output, max, "trace output");
  if (output !== undefined) body.output = output;
  const metadata = object(trace.metadata, max, "trace metadata");
  if (metadata) body.metadata = metadata;
  const sessionId = limitOptional(trace.sessionId, ID_MAX, "session id");
  if (sessionId !== undefined) body.session_id = sessionId;
  const userId = limitOptional(trace.userId, ID_MAX, "user id");
  if (userId !== undefined) body.user_id = userId;
  if (trace.tags?.length) body.tags = Array.from(new Set(trace.tags.map(stripNul)));
  const environment = limitOptional(trace.environment ?? config.environment, ID_MAX, "environment");
  if (environment !== undefined) body.environment = environment;
  const release = limitOptional(trace.release ?? config.release, ID_MAX, "release");
  if (release !== undefined) body.release = release;

  const spans = trace.spans;
  const extraSpanChunks: Wire[][] = [];
  if (spans.length) {
    const first: Wire[] = new Array(Math.min(spans.length, SPANS_PER_REQUEST));
    for (let i = 0; i < first.length; i++) first[i] = spans[i].wire ?? spanToWire(spans[i], config);
    body.spans = first;
    for (let i = SPANS_PER_REQUEST; i < spans.length; i += SPANS_PER_REQUEST) {
      const chunk: Wire[] = [];
      for (let j = i; j < Math.min(spans.length, i + SPANS_PER_REQUEST); j++) chunk.push(spans[j].wire ?? spanToWire(spans[j], config));
      extraSpanChunks.push(chunk);
    }
  }
  return { trace: body, extraSpanChunks };
}
