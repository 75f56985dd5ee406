import { limitOptional, limitString } from "../serialize/limits.js";
import { toSafeJson } from "../serialize/safe-json.js";
import type { ScoreDataType } from "../types.js";
import { isUuid } from "../utils/ids.js";
import { readOptions } from "../utils/read-options.js";
import { describe } from "../utils/unreadable.js";

const SCORE_KEYS = ["traceId", "name", "value", "dataType", "reason", "metadata"] as const;

const TYPES = new Set<ScoreDataType>(["NUMERIC", "BOOLEAN", "CATEGORICAL"]);

/**
 * Validates a score the way the backend will (backend-api.md §2.4) and builds its
 * `CreateTraceScoreRequest` body. Returns an error message instead of throwing.
 */
export function buildScorePayload(
  options: unknown,
  maxFieldSize: number,
): { body?: Record<string, unknown>; error?: string } {
  if (!options || typeof options !== "object") return { error: "score() needs an options object" };
  const { traceId, name, value, reason, metadata, dataType: givenType } = readOptions(options, SCORE_KEYS, "score");
  if (!isUuid(traceId)) return { error: `score traceId must be a UUID, got ${describe(traceId)}` };
  if (typeof name !== "string" || name.trim() === "") return { error: "score name must be a non-empty string" };
  if (name.length > 255) return { error: `score name must be at most 255 characters (got ${name.length})` };
  const rawType =
    givenType ??
    (typeof value === "boolean"
      ? "BOOLEAN"
      : typeof value === "string" && !isNumeric(value)
        ? "CATEGORICAL"
        : "NUMERIC");
  const dataType = (typeof rawType === "string" ? rawType.toUpperCase() : rawType) as ScoreDataType;
  if (!TYPES.has(dataType))
    return { error: `score dataType must be NUMERIC, BOOLEAN or CATEGORICAL, got ${describe(rawType)}` };
  let wire: string;
  if (dataType === "NUMERIC") {
    const n = typeof value === "number" ? value : typeof value === "string" && isNumeric(value) ? Number(value) : NaN;
    if (!Number.isFinite(n) || n < 0 || n > 1)
      return { error: `NUMERIC score "${name}" must be a number in [0, 1], got ${describe(value)}` };
    wire = String(n);
  } else if (dataType === "BOOLEAN") {
    const s = typeof value === "boolean" ? String(value) : typeof value === "string" ? value.trim().toLowerCase() : "";
    if (s !== "true" && s !== "false")
      return { error: `BOOLEAN score "${name}" must be true or false, got ${describe(value)}` };
    wire = s;
  } else {
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean")
      return { error: `CATEGORICAL score "${name}" must be a string, got ${typeof value}` };
    wire = String(value);
    if (wire.length === 0 || wire.length > 255)
      return { error: `CATEGORICAL score "${name}" must be 1-255 characters (got ${wire.length})` };
  }
  const body: Record<string, unknown> = {
    trace_id: traceId,
    name: limitString(name, 255, "score name"),
    value: limitString(wire, 255, "score value"),
    data_type: dataType,
    source: "PROGRAMMATIC",
  };
  const why = limitOptional(reason, maxFieldSize, "score reason");
  if (why !== undefined) body.reason = toSafeJson(why, maxFieldSize).value;
  if (metadata && typeof metadata === "object") {
    const m = toSafeJson(metadata, maxFieldSize).value;
    body.metadata = m && typeof m === "object" && !Array.isArray(m) ? m : { value: m };
  }
  return { body };
}

function isNumeric(s: string): boolean {
  return s.trim() !== "" && Number.isFinite(Number(s));
}
