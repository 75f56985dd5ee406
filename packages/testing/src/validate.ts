/**
 * Request-body validation driven by the OpenAPI request schemas (ajv, JSON Schema 2020-12), with errors in the
 * backend's shape (`field` joined with " -> ", pydantic-style messages).
 *
 * Two modes:
 * - "server": what the real backend accepts (pydantic lax mode): lenient datetimes (epoch numbers, naive values...),
 *   lenient UUIDs (32 hex digits, urn:uuid:, braces), numeric strings for `cost` values. Unknown fields ignored.
 * - "spec": the OpenAPI document read strictly (RFC 3339 date-time, canonical UUIDs) and, in addition, properties
 *   the schema does not declare are reported, because the server silently ignores them (a misspelt field is lost).
 */
import Ajv2020 from "ajv/dist/2020.js";
import type { ErrorObject, ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { isLenientDateTime, parseLenientDateTime } from "./datetime.js";
import { hasLoneSurrogate } from "./nul.js";
import { apiOperations, openApiDoc } from "./openapi.js";
import { parseUuid } from "./uuid.js";

/** One validation error in the backend's 422 shape. */
export interface FieldError {
  field: string;
  message: string;
}

export type ValidationMode = "server" | "spec";

type Json = Record<string, unknown>;
const BASE_ID = "https://pandaprobe.invalid/openapi";
const NUMERIC_STRING = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$|^\s*[+-]?(inf|infinity|nan)\s*$/i;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Rewrites a schema for the given mode (see the module comment). Never mutates its input. */
function transform(node: unknown, mode: ValidationMode): unknown {
  if (Array.isArray(node)) return node.map((item) => transform(item, mode));
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) out[key] = transform(value, mode);
  if (typeof out.$ref === "string" && out.$ref.startsWith("#/")) out.$ref = BASE_ID + out.$ref;
  if (out.type === "string" && out.format === "date-time") {
    out["x-pp"] = "datetime";
    if (mode === "server") Object.assign(out, { type: ["string", "number"], format: "pp-date-time" });
  } else if (out.type === "string" && out.format === "uuid") {
    out["x-pp"] = "uuid";
    if (mode === "server") out.format = "pp-uuid";
  } else if (out.type === "number" && mode === "server" && Object.keys(out).length === 1) {
    Object.assign(out, { type: ["number", "string"], format: "pp-number", "x-pp": "number" });
  }
  if (mode === "spec" && out.type === "object" && isObject(out.properties) && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  if (mode === "server") {
    // pydantic turns every typed string (a field typed `str`, a dict key) into a Rust string: a lone surrogate there
    // is a 422 (§9). Free-form values (`input`, metadata values) are not typed: they reach the worker (see ingest.ts).
    if (isObject(node) && (node.type === "string" || (Array.isArray(node.type) && node.type.includes("string"))))
      out["x-pp-text"] = true;
    if (out.type === "object" && out.additionalProperties !== undefined && out.additionalProperties !== false)
      out.propertyNames = { "x-pp-text": true };
  }
  return out;
}

function createAjv(mode: ValidationMode): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true, validateSchema: false });
  ajv.addKeyword("x-pp");
  ajv.addKeyword({
    keyword: "x-pp-text",
    type: "string",
    schemaType: "boolean",
    validate: (check: boolean, data: string) => !check || !hasLoneSurrogate(data),
  });
  if (mode === "spec") {
    addFormats(ajv);
  } else {
    ajv.addFormat("pp-date-time", { type: "string", validate: isLenientDateTime });
    ajv.addFormat("pp-uuid", { type: "string", validate: (value: string) => parseUuid(value).ok });
    ajv.addFormat("pp-number", { type: "string", validate: (value: string) => NUMERIC_STRING.test(value) });
  }
  ajv.addSchema({ $id: BASE_ID, components: transform(openApiDoc().components, mode) });
  return ajv;
}

const ajvs = new Map<ValidationMode, Ajv2020>();
const compiled = new Map<string, ValidateFunction>();

/** The compiled body validator of an operation ("POST /traces/{trace_id}/spans"), or undefined if it has no body. */
function validatorFor(operation: string, mode: ValidationMode): ValidateFunction | undefined {
  const cacheKey = `${mode} ${operation}`;
  const hit = compiled.get(cacheKey);
  if (hit) return hit;
  const op = apiOperations().find((o) => `${o.method} ${o.template}` === operation);
  if (!op?.bodySchema) return undefined;
  let ajv = ajvs.get(mode);
  if (!ajv) ajvs.set(mode, (ajv = createAjv(mode)));
  const fn = ajv.compile(transform(op.bodySchema, mode) as Json);
  compiled.set(cacheKey, fn);
  return fn;
}

/** True when the operation declares a JSON request body. */
export function hasBodySchema(operation: string): boolean {
  return validatorFor(operation, "server") !== undefined;
}

function enumText(values: unknown[]): string {
  const quoted = values.map((v) => `'${String(v)}'`);
  return quoted.length <= 1 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

function typeMessage(e: ErrorObject): string {
  const parent = (e.parentSchema ?? {}) as Json;
  switch (parent["x-pp"]) {
    case "datetime":
      return "Input should be a valid datetime";
    case "uuid":
      return "UUID input should be a string, bytes or UUID object";
    case "number":
      return "Input should be a valid number";
  }
  const type = String((e.params as { type?: unknown }).type);
  if (type === "object") {
    return isObject(parent.properties)
      ? "Input should be a valid dictionary or object to extract fields from"
      : "Input should be a valid dictionary";
  }
  const names: Record<string, string> = {
    string: "string",
    array: "list",
    integer: "integer",
    number: "number",
    boolean: "boolean",
  };
  return `Input should be a valid ${names[type] ?? type}`;
}

function formatMessage(e: ErrorObject): string {
  const format = String((e.params as { format?: unknown }).format);
  if (format === "pp-date-time") {
    const parsed = parseLenientDateTime(e.data);
    return `Input should be a valid datetime or date, ${parsed.ok ? "invalid value" : parsed.reason}`;
  }
  if (format === "pp-uuid") {
    const parsed = parseUuid(e.data);
    return `Input should be a valid UUID, ${parsed.ok ? "invalid value" : parsed.reason}`;
  }
  if (format === "pp-number") return "Input should be a valid number, unable to parse string as a number";
  if (format === "date-time")
    return "Input should be an RFC 3339 date-time with a time zone (OpenAPI format date-time)";
  if (format === "uuid") return "Input should be a canonical hyphenated UUID (OpenAPI format uuid)";
  return `Input should match format "${format}"`;
}

function messageFor(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const limit = Number(p.limit);
  const count = Array.isArray(e.data) ? e.data.length : undefined;
  switch (e.keyword) {
    case "required":
      return "Field required";
    case "type":
      return typeMessage(e);
    case "format":
      return formatMessage(e);
    case "enum":
      return `Input should be ${enumText(p.allowedValues as unknown[])}`;
    case "const":
      return `Input should be '${String(p.allowedValue)}'`;
    case "minLength":
      return `String should have at least ${limit} character${limit === 1 ? "" : "s"}`;
    case "maxLength":
      return `String should have at most ${limit} character${limit === 1 ? "" : "s"}`;
    case "minItems":
      return `List should have at least ${limit} item${limit === 1 ? "" : "s"} after validation, not ${count}`;
    case "maxItems":
      return `List should have at most ${limit} item${limit === 1 ? "" : "s"} after validation, not ${count}`;
    case "minimum":
      return `Input should be greater than or equal to ${limit}`;
    case "maximum":
      return `Input should be less than or equal to ${limit}`;
    case "additionalProperties":
      return "Extra field not in the OpenAPI schema (the server silently ignores it)";
    case "x-pp-text":
      return "Input should be a valid string, unable to parse raw data as a unicode string";
    default:
      return e.message ?? e.keyword;
  }
}

/** Joins a path into the backend's " -> " form. */
export function joinField(parts: Array<string | number>): string {
  return parts.map(String).join(" -> ");
}

function toFieldErrors(errors: ErrorObject[], prefix: string[]): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === "anyOf" || e.keyword === "oneOf" || e.keyword === "propertyNames") continue;
    // The `{type: "null"}` branch of an Optional field: pydantic reports only the non-null branch.
    if (e.keyword === "type" && (e.params as { type?: unknown }).type === "null") continue;
    const parts =
      e.instancePath === ""
        ? []
        : e.instancePath
            .slice(1)
            .split("/")
            .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    if (e.keyword === "required") parts.push(String((e.params as { missingProperty: string }).missingProperty));
    if (e.keyword === "additionalProperties") {
      parts.push(String((e.params as { additionalProperty: string }).additionalProperty));
    }
    const dictKey = (e as { propertyName?: string }).propertyName;
    if (dictKey !== undefined) parts.push(dictKey, "[key]"); // a dict key, as pydantic locates it
    const error = { field: joinField([...prefix, ...parts]), message: messageFor(e) };
    const key = `${error.field}\u0001${error.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(error);
    }
  }
  return out;
}

/**
 * Validates a request body against the OpenAPI request schema of `operation` ("METHOD /template").
 * Returns every error (empty when valid, or when the operation has no body schema).
 */
export function validateBody(operation: string, body: unknown, mode: ValidationMode): FieldError[] {
  const validate = validatorFor(operation, mode);
  if (!validate || validate(body)) return [];
  return toFieldErrors(validate.errors ?? [], []);
}
