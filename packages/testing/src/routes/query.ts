/** Query-string validation helpers producing `query -> name` errors. */
import { parseLenientDateTime } from "../datetime.js";
import type { FieldError } from "../validate.js";

export function intParam(
  q: URLSearchParams,
  name: string,
  errors: FieldError[],
  def: number,
  min: number,
  max = Infinity,
): number {
  const raw = q.get(name);
  if (raw === null) return def;
  const field = `query -> ${name}`;
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
    errors.push({ field, message: "Input should be a valid integer, unable to parse string as an integer" });
    return def;
  }
  const value = Number(raw);
  if (value < min) errors.push({ field, message: `Input should be greater than or equal to ${min}` });
  else if (value > max) errors.push({ field, message: `Input should be less than or equal to ${max}` });
  return value;
}

export function enumParam(
  q: URLSearchParams,
  name: string,
  errors: FieldError[],
  allowed: string[],
  def?: string,
): string | undefined {
  const raw = q.get(name);
  if (raw === null) return def;
  if (!allowed.includes(raw)) {
    const list = allowed.map((a) => `'${a}'`);
    const text = `${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}`;
    errors.push({ field: `query -> ${name}`, message: `Input should be ${text}` });
    return def;
  }
  return raw;
}

export function dateParam(q: URLSearchParams, name: string, errors: FieldError[]): number | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  const parsed = parseLenientDateTime(raw);
  if (!parsed.ok) {
    errors.push({ field: `query -> ${name}`, message: `Input should be a valid datetime or date, ${parsed.reason}` });
    return undefined;
  }
  return parsed.micros;
}
