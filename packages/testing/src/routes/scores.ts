/** Score routes: POST /evaluations/trace-scores (value rules, 500 on unknown trace) and the read routes. */
import { randomUUID } from "node:crypto";
import { formatMicros } from "../datetime.js";
import { jsonbRefusal } from "../nul.js";
import { InternalServerError } from "../patch.js";
import type { TraceScoreResponse } from "../types.js";
import type { FieldError } from "../validate.js";
import { canonicalUuid } from "../uuid.js";
import type { RouteDef } from "./context.js";

type Body = Record<string, unknown>;
const FLOAT_RE = /^[+-]?(\d[\d_]*(\.[\d_]*)?|\.\d[\d_]*)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$/i;

/** The model-level value rules (§2.4); messages as the backend's "Value error, ..." (range text observed). */
export function scoreValueErrors(dataType: string, value: string): FieldError[] {
  const error = (message: string): FieldError[] => [{ field: "", message: `Value error, ${message}` }];
  if (dataType === "NUMERIC") {
    const text = value.trim();
    if (!FLOAT_RE.test(text)) return error("NUMERIC score value must be a valid number");
    const number = Number(text.replace(/_/g, "").replace(/^([+-]?)inf(inity)?$/i, "$1Infinity"));
    if (!(number >= 0 && number <= 1)) return error("NUMERIC score must be in [0.0, 1.0]");
  } else if (dataType === "BOOLEAN") {
    if (!["true", "false"].includes(value.toLowerCase())) return error("BOOLEAN score must be 'true' or 'false'");
  }
  return [];
}

const createScore: RouteDef = {
  check(body) {
    const b = body as Body;
    return scoreValueErrors(String(b.data_type ?? "NUMERIC"), String(b.value));
  },
  handle(ctx) {
    const b = ctx.body as Body;
    const traceId = canonicalUuid(String(b.trace_id));
    // Foreign key on trace_id (any project); varchar(255) columns; NUL rejected by Postgres.
    if (!ctx.store.traces.has(traceId)) throw new InternalServerError(`trace ${traceId} does not exist (yet)`);
    if (String(b.name).length > 255 || String(b.value).length > 255) throw new InternalServerError("varchar(255)");
    if (jsonbRefusal(b)) throw new InternalServerError(`${jsonbRefusal(b)} rejected by Postgres`);
    const now = formatMicros(Date.now() * 1000);
    const score: TraceScoreResponse = {
      id: randomUUID(),
      trace_id: traceId,
      name: String(b.name),
      value: String(b.value),
      status: "SUCCESS",
      source: typeof b.source === "string" ? b.source : "ANNOTATION",
      created_at: now,
      project_id: ctx.project().id,
      data_type: typeof b.data_type === "string" ? b.data_type : "NUMERIC",
      eval_run_id: null,
      author_user_id: null,
      reason: typeof b.reason === "string" ? b.reason : null,
      environment: null,
      config_id: null,
      metadata: structuredClone((b.metadata as Record<string, unknown> | undefined) ?? {}),
      updated_at: now,
    };
    ctx.store.scores.push(score);
    ctx.services.changed();
    return { status: 201, body: structuredClone(score) };
  },
};

const latestScores: RouteDef = {
  uuidParams: ["trace_id"],
  handle(ctx) {
    const traceId = canonicalUuid(ctx.params.trace_id);
    const projectId = ctx.project().id;
    const latest = new Map<string, TraceScoreResponse>();
    for (const s of ctx.store.scores) if (s.trace_id === traceId && s.project_id === projectId) latest.set(s.name, s);
    return { status: 200, body: structuredClone([...latest.values()]) };
  },
};

const sessionScores: RouteDef = {
  handle: () => ({ status: 200, body: [] }),
};

export const scoreRoutes: Record<string, RouteDef> = {
  "POST /evaluations/trace-scores": createScore,
  "GET /evaluations/trace-scores/{trace_id}": latestScores,
  "GET /evaluations/session-scores/{session_id}": sessionScores,
};
