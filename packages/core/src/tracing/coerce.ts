/**
 * Values handed to the API are normalised where they come in, so that what is stored can always be serialised:
 * strings stay strings, anything else is converted or dropped with one warning naming the field. Never throws.
 */
import type { SpanKind, SpanStatus, TimeInput, TraceStatus } from "../types.js";
import { logger } from "../utils/logger.js";
import { toMs } from "../utils/time.js";
import { toText } from "../utils/to-text.js";
import { describe, unreadable } from "../utils/unreadable.js";

export { toText };

function warnField(field: string, message: string): void {
  logger.warnOnce(`field:${field}`, message);
}

/** A name: `toText`, else `fallback` (a trace or span always has a name). */
export function toName(value: unknown, field: string, fallback: string): string {
  return toText(value, field) ?? fallback;
}

/** Tags: an array of strings (numbers, bigints, booleans converted; other items dropped); a single string becomes `[it]`. */
export function toTags(value: unknown, field = "tags"): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return [value];
  let items: unknown[];
  try {
    if (!Array.isArray(value)) {
      warnField(field, `${field} should be an array of strings; ${describe(value)} was ignored.`);
      return undefined;
    }
    items = Array.from(value as unknown[]);
  } catch (error) {
    warnField(field, `${field} could not be read (${unreadable(error)}) and were ignored.`);
    return undefined;
  }
  const out: string[] = [];
  let skipped = false;
  for (const item of items) {
    if (typeof item === "string") out.push(item);
    else if (typeof item === "number" || typeof item === "bigint" || typeof item === "boolean") {
      out.push(String(item));
      skipped = true;
    } else skipped = true;
  }
  if (skipped)
    warnField(field, `${field} should be strings; numbers and booleans were converted, other items dropped.`);
  return out;
}

/**
 * A time option: epoch ms for a `Date` or a number within years 1 to 9999 (what the backend stores); undefined, with
 * one warning naming the field, for anything else (the caller then uses the current time).
 */
export function toTime(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = toMs(value as TimeInput);
  if (ms === undefined)
    warnField(
      field,
      `${field} should be a Date or epoch milliseconds within years 1 to 9999; ${describe(value)} was replaced by the current time.`,
    );
  return ms;
}

/**
 * Metadata to store: a shallow copy of an object (so later changes to its keys do not count), read without throwing:
 * a key that cannot be read records `[unreadable: why]`, an object that cannot be read at all records
 * `{ metadata: "[unreadable: why]" }`. A value that is not an object is kept as `{ value }`, with a warning.
 */
export function toMetadata(value: unknown, field = "metadata"): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object") {
    warnField(field, `${field} should be an object; ${describe(value)} was recorded as { value }.`);
    return { value };
  }
  try {
    if (Array.isArray(value)) {
      warnField(field, `${field} should be an object; an array was recorded as { value }.`);
      return { value };
    }
    return { ...value };
  } catch {
    return copyKeys(value);
  }
}

/** The slow path of `toMetadata`: key by key, keeping what can be read. */
function copyKeys(value: object): Record<string, unknown> {
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch (error) {
    return { metadata: unreadable(error) };
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    let v: unknown;
    try {
      v = (value as Record<string, unknown>)[key];
    } catch (error) {
      v = unreadable(error);
    }
    Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** `toMetadata(value)` merged over `current` (shallow; the caller's objects are never mutated). */
export function mergeMetadata(
  current: Record<string, unknown> | undefined,
  value: unknown,
  field = "metadata",
): Record<string, unknown> | undefined {
  const next = toMetadata(value, field);
  if (!next) return current;
  return current ? { ...current, ...next } : next;
}

const KINDS = new Set<unknown>(["AGENT", "TOOL", "LLM", "RETRIEVER", "CHAIN", "EMBEDDING", "OTHER"]);
const SPAN_STATUSES = new Set<unknown>(["UNSET", "OK", "ERROR"]);
const TRACE_STATUSES = new Set<unknown>(["PENDING", "RUNNING", "COMPLETED", "ERROR"]);

/** A span kind; an unknown one is warned about once and becomes `OTHER` (lower case is accepted). */
export function toKind(kind: unknown): SpanKind {
  if (KINDS.has(kind)) return kind as SpanKind;
  if (typeof kind === "string" && KINDS.has(kind.toUpperCase())) return kind.toUpperCase() as SpanKind;
  if (kind !== undefined)
    logger.warnOnce(
      `kind:${describe(kind)}`,
      `unknown span kind ${describe(kind)}; using OTHER (kinds are upper-case: AGENT, TOOL, LLM, RETRIEVER, CHAIN, EMBEDDING, OTHER).`,
    );
  return "OTHER";
}

/** A span status, or undefined (with a warning) when it is not one. */
export function toSpanStatus(status: unknown): SpanStatus | undefined {
  if (SPAN_STATUSES.has(status)) return status as SpanStatus;
  warnField("span status", `span status ${describe(status)} is not UNSET, OK or ERROR and was ignored.`);
  return undefined;
}

/** A trace status, or undefined (with a warning) when it is not one. */
export function toTraceStatus(status: unknown): TraceStatus | undefined {
  if (TRACE_STATUSES.has(status)) return status as TraceStatus;
  warnField(
    "trace status",
    `trace status ${describe(status)} is not PENDING, RUNNING, COMPLETED or ERROR and was ignored.`,
  );
  return undefined;
}
