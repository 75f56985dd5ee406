/**
 * Timestamp handling with the backend's leniency (pydantic v2 lax datetime parsing, §3 of backend-api.md):
 * `Z`, offsets, naive values (UTC), a space or `t`/`_` separator, up to 6 fractional digits (more are truncated),
 * date only (midnight UTC), Unix epoch seconds as a number or numeric string, epoch milliseconds above 2e10.
 * Output is Python's `isoformat()` of a UTC datetime: `+00:00`, microseconds only when non-zero.
 */

/** A parsed instant: epoch microseconds (safe as a JS number for any realistic year). */
export type Micros = number;

export type ParseResult = { ok: true; micros: Micros } | { ok: false; reason: string };

const MS_THRESHOLD = 2e10;
const NUMERIC_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt _](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

function fromEpochNumber(value: number): ParseResult {
  if (!Number.isFinite(value)) return { ok: false, reason: "invalid timestamp" };
  const ms = Math.abs(value) > MS_THRESHOLD ? value : value * 1000;
  return { ok: true, micros: Math.round(ms * 1000) };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function build(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, frac = "", offsetMinutes = 0): ParseResult {
  if (y < 1) return { ok: false, reason: "year 0 is out of range" };
  if (mo < 1 || mo > 12) return { ok: false, reason: "month value is outside expected range of 1-12" };
  if (d < 1 || d > daysInMonth(y, mo)) return { ok: false, reason: "day value is outside expected range" };
  if (h > 23) return { ok: false, reason: "hour value is outside expected range of 0-23" };
  if (mi > 59) return { ok: false, reason: "minute value is outside expected range of 0-59" };
  if (s > 59) return { ok: false, reason: "second value is outside expected range of 0-59" };
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  const micros = Number(`${frac}000000`.slice(0, 6));
  return { ok: true, micros: (date.getTime() - offsetMinutes * 60_000) * 1000 + micros };
}

function parseOffset(tz: string | undefined): number | undefined {
  if (!tz || tz === "Z" || tz === "z") return 0;
  const sign = tz.startsWith("-") ? -1 : 1;
  const digits = tz.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes);
}

/** Parses a JSON value the way the backend does for a `datetime` field. */
export function parseLenientDateTime(value: unknown): ParseResult {
  if (typeof value === "number") return fromEpochNumber(value);
  if (typeof value !== "string") return { ok: false, reason: "invalid type" };
  const text = value.trim();
  if (NUMERIC_RE.test(text)) return fromEpochNumber(Number(text));
  if (text.length < 10) return { ok: false, reason: "input is too short" };
  if (!/^\d{4}/.test(text)) return { ok: false, reason: "invalid character in year" };
  const date = DATE_RE.exec(text);
  if (date) return build(Number(date[1]), Number(date[2]), Number(date[3]));
  const m = DATETIME_RE.exec(text);
  if (!m) {
    if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return { ok: false, reason: "invalid date separator, expected `-`" };
    return { ok: false, reason: "invalid character in time or timezone" };
  }
  const offset = parseOffset(m[8]);
  if (offset === undefined) return { ok: false, reason: "timezone offset is out of range" };
  return build(
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6] ?? 0),
    m[7] ?? "",
    offset,
  );
}

/** True when the value is a valid lenient datetime (used as an ajv format). */
export function isLenientDateTime(value: unknown): boolean {
  return parseLenientDateTime(value).ok;
}

/** Formats epoch microseconds like Python's `datetime.isoformat()` in UTC. */
export function formatMicros(micros: Micros): string {
  const ms = Math.floor(micros / 1000);
  const rest = micros - ms * 1000;
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const base = iso.slice(0, 19);
  const fraction = Number(iso.slice(20, 23)) * 1000 + rest;
  return fraction === 0 ? `${base}+00:00` : `${base}.${String(fraction).padStart(6, "0")}+00:00`;
}

/** Normalises a lenient datetime to the server's output form, or returns null for null/undefined. */
export function normalizeDateTime(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const parsed = parseLenientDateTime(value);
  if (!parsed.ok) throw new Error(`invalid datetime reached the store: ${String(value)}`);
  return formatMicros(parsed.micros);
}

/** Milliseconds between two stored (normalised) timestamps, or null when either is missing. */
export function diffMs(later: string | null, earlier: string | null): number | null {
  if (!later || !earlier) return null;
  const a = parseLenientDateTime(later);
  const b = parseLenientDateTime(earlier);
  if (!a.ok || !b.ok) return null;
  return (a.micros - b.micros) / 1000;
}

/** Epoch microseconds of a stored timestamp (for sorting/filtering). */
export function toMicros(value: string | null): Micros | undefined {
  if (!value) return undefined;
  const parsed = parseLenientDateTime(value);
  return parsed.ok ? parsed.micros : undefined;
}
