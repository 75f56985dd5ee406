import type { MaskTarget, ResolvedConfig } from "../config/options.js";
import type { Cost } from "../types.js";
import { logger } from "../utils/logger.js";
import { cleanText } from "../utils/text.js";
import { toIso } from "../utils/time.js";
import { errorMessage } from "../utils/unreadable.js";
import { ID_MAX, limitName, limitOptional } from "./limits.js";
import type { SpanRecord, TraceRecord } from "./records.js";
import { toSafeJson, withCopies } from "./safe-json.js";
import { checkMessagesConvention } from "./schema-warnings.js";
import { withoutOutputMetadata } from "./content-policy.js";

/** The backend accepts at most 500 spans in one request. */
export const SPANS_PER_REQUEST = 500;

type Json = Record<string, unknown>;

/**
 * `JSON.stringify` of the body `build` makes. Fields that already are plain JSON are used as they are
 * (see `toSafeJson`), so the text is made at once; if serialising throws anyway (a getter or Proxy that
 * changed its answer), the body is built again from copies, which cannot throw.
 */
function stringify(build: () => Json): string {
  try {
    return JSON.stringify(build());
  } catch {
    return withCopies(() => JSON.stringify(build()));
  }
}

/** The JSON-safe form of a field (see `toSafeJson`), cut at `max` characters (with a warning, once per field kind). */
function field(value: unknown, max: number, label: string): unknown {
  if (value === undefined) return undefined;
  const { value: safe, truncated } = toSafeJson(value, max);
  if (truncated)
    logger.warnOnce(
      `truncated:${label}`,
      `a ${label} larger than maxFieldSize (${max} characters) was cut; look for "…[truncated" in the stored value.`,
    );
  return safe;
}

/** `field()`, then the client's `mask` (when set) on the JSON-safe value; a throwing mask records a marker, never the value. */
function masked(
  value: unknown,
  config: ResolvedConfig,
  label: string,
  kind: MaskTarget["kind"],
  name: string,
  which: MaskTarget["field"],
): unknown {
  const safe = field(value, config.maxFieldSize, label);
  const mask = config.mask;
  if (!mask || safe === undefined) return safe;
  const target: MaskTarget = { kind, field: which, name };
  let out: unknown;
  try {
    out = mask(safe, target);
  } catch (error) {
    logger.warnOnce(
      `mask:${target.kind}:${target.field}`,
      `the mask threw on a ${label} (${errorMessage(error)}); "${MASK_FAILED}" was recorded instead.`,
    );
    return MASK_FAILED;
  }
  return out === safe ? safe : field(out, config.maxFieldSize, label);
}

const MASK_FAILED = "[masked: mask failed]";

/** `field()` for a field the schema types as an object: anything else is wrapped as `{ value }`; `{}` is omitted. */
function object(
  value: Record<string, unknown> | undefined,
  config: ResolvedConfig,
  label: string,
  kind: MaskTarget["kind"],
  name: string,
): Json | undefined {
  if (!value) return undefined;
  const safe = masked(value, config, label, kind, name, "metadata");
  if (safe === undefined) return undefined;
  if (!safe || typeof safe !== "object" || Array.isArray(safe)) return { value: safe };
  return Object.keys(safe).length ? (safe as Json) : undefined;
}

/**
 * The `SpanCreate` body for a span as JSON text (fields not set are omitted, never sent as null). Made
 * right after the span ends (see finalizer.ts), so later changes to the objects it recorded do not count.
 */
export function spanJson(span: SpanRecord, config: ResolvedConfig): string {
  return stringify(() => spanToWire(span, config));
}

function spanToWire(span: SpanRecord, config: ResolvedConfig): Json {
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
    if (span.recordInputs) checkMessagesConvention("LLM span input", span.input);
    if (span.recordOutputs) checkMessagesConvention("LLM span output", span.output);
  }
  if (span.endMs !== undefined) out.ended_at = toIso(span.endMs);
  const input = span.recordInputs ? masked(span.input, config, "span input", "span", span.name, "input") : undefined;
  if (input !== undefined) out.input = input;
  const output = span.recordOutputs
    ? masked(span.output, config, "span output", "span", span.name, "output")
    : undefined;
  if (output !== undefined) out.output = output;
  const model = limitOptional(span.model, ID_MAX, "model");
  if (model !== undefined) out.model = model;
  if (span.tokenUsage) out.token_usage = span.tokenUsage;
  // Model output carried as metadata (reasoning, refusal) follows the outputs' policy.
  const spanMetadata = span.recordOutputs ? span.metadata : withoutOutputMetadata(span.metadata);
  const metadata = object(spanMetadata, config, "span metadata", "span", span.name);
  if (metadata) out.metadata = metadata;
  if (span.error !== undefined) out.error = field(span.error, max, "span error");
  if (span.completionStartMs !== undefined) out.completion_start_time = toIso(span.completionStartMs);
  if (span.modelParameters) {
    const mp = field(span.modelParameters, max, "model parameters");
    out.model_parameters = mp && typeof mp === "object" && !Array.isArray(mp) ? mp : { value: mp };
  }
  if (span.cost) out.cost = cleanKeys(span.cost);
  return out;
}

/**
 * A request stops taking spans at about this many characters (a span always goes, however large): a long agent
 * run whose LLM spans each carry the whole conversation would otherwise make one body of tens of MB, which a proxy
 * in front of the API may refuse (413) and which the queue's byte cap would drop whole.
 */
export const REQUEST_CHARS = 4 * 1024 * 1024;

/**
 * The `TraceCreate` body for a trace with its first spans inline (at most 500, and about REQUEST_CHARS), plus the
 * remaining spans in chunks cut the same way for `POST /traces/{id}/spans`, as JSON text. Spans captured at their
 * end are reused.
 */
export function traceJson(trace: TraceRecord, config: ResolvedConfig): { body: string; extraSpanChunks: string[] } {
  const head = stringify(() => traceToWire(trace, config));
  const spans = trace.spans;
  const extraSpanChunks: string[] = [];
  if (!spans.length) return { body: head, extraSpanChunks };
  const texts: string[] = new Array(spans.length);
  let total = head.length;
  for (let i = 0; i < spans.length; i++) total += (texts[i] = spans[i]!.json ?? spanJson(spans[i]!, config)).length + 1;
  // `head` is a JSON object with at least trace_id: the spans go in as its last member.
  if (spans.length <= SPANS_PER_REQUEST && total <= REQUEST_CHARS)
    return { body: `${head.slice(0, -1)},"spans":[${texts.join(",")}]}`, extraSpanChunks };
  let end = chunkEnd(texts, 0, head.length);
  const body = `${head.slice(0, -1)},"spans":[${texts.slice(0, end).join(",")}]}`;
  for (let start = end; start < texts.length; start = end) {
    end = chunkEnd(texts, start, 2);
    extraSpanChunks.push(`[${texts.slice(start, end).join(",")}]`);
  }
  return { body, extraSpanChunks };
}

/** Where a request that starts with span `start` (after `used` characters) ends: at most 500 spans, about REQUEST_CHARS. */
function chunkEnd(texts: string[], start: number, used: number): number {
  let i = start;
  for (let size = used; i < texts.length && i - start < SPANS_PER_REQUEST; i++) {
    size += texts[i]!.length + 1;
    if (size > REQUEST_CHARS && i > start) break;
  }
  return i;
}

/** A `cost` object with clean keys: the backend types them as strings and answers 422 for a lone surrogate. */
function cleanKeys(cost: Cost): Cost {
  let out: Cost | undefined;
  for (const key in cost) {
    const clean = cleanText(key);
    if (clean !== key) (out ??= { ...cost })[clean] = cost[key];
    if (out && clean !== key) delete out[key];
  }
  return out ?? cost;
}

function traceToWire(trace: TraceRecord, config: ResolvedConfig): Json {
  const body: Json = {
    trace_id: trace.id,
    name: limitName(trace.name, "trace name"),
    status: trace.status,
    started_at: toIso(trace.startMs),
  };
  if (trace.endMs !== undefined) body.ended_at = toIso(trace.endMs);
  const input = trace.recordInputs
    ? masked(trace.input, config, "trace input", "trace", trace.name, "input")
    : undefined;
  if (input !== undefined) body.input = input;
  const output = trace.recordOutputs
    ? masked(trace.output, config, "trace output", "trace", trace.name, "output")
    : undefined;
  if (output !== undefined) body.output = output;
  const traceMetadata = trace.recordOutputs ? trace.metadata : withoutOutputMetadata(trace.metadata);
  const metadata = object(traceMetadata, config, "trace metadata", "trace", trace.name);
  if (metadata) body.metadata = metadata;
  const sessionId = limitOptional(trace.sessionId, ID_MAX, "session id");
  if (sessionId !== undefined) body.session_id = sessionId;
  const userId = limitOptional(trace.userId, ID_MAX, "user id");
  if (userId !== undefined) body.user_id = userId;
  if (trace.tags?.length) body.tags = Array.from(new Set(trace.tags.map(cleanText)));
  const environment = limitOptional(trace.environment ?? config.environment, ID_MAX, "environment");
  if (environment !== undefined) body.environment = environment;
  const release = limitOptional(trace.release ?? config.release, ID_MAX, "release");
  if (release !== undefined) body.release = release;
  return body;
}
