/** `schemaErrors()`: every received body checked against the OpenAPI request schema of its route (spec mode). */
import type { RecordedRequest, SchemaErrorReport } from "./types.js";
import { hasLoneSurrogate } from "./nul.js";
import { hasBodySchema, joinField, validateBody, type FieldError } from "./validate.js";

const NUL = 'contains "\\u0000": the server accepts it with 202 and then silently drops the trace';
const SURROGATE =
  "contains a lone UTF-16 surrogate: the server answers 422 in a typed field, else accepts it with 202 and then silently drops the trace";

/** Text the backend loses: NUL and lone surrogates, in values and keys alike. */
function textProblems(value: unknown, path: Array<string | number>, out: FieldError[]): void {
  const check = (s: string, at: Array<string | number>, prefix: string) => {
    if (s.includes("\u0000")) out.push({ field: joinField(at), message: `${prefix}${NUL}` });
    if (hasLoneSurrogate(s)) out.push({ field: joinField(at), message: `${prefix}${SURROGATE}` });
  };
  if (typeof value === "string") {
    check(value, path, "");
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => textProblems(item, [...path, i], out));
  } else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      check(k, [...path, k], "key ");
      textProblems(v, [...path, k], out);
    }
  }
}

/** The spec problems of one request, or [] when it has no body schema or conforms. */
export function requestSchemaErrors(request: RecordedRequest): FieldError[] {
  if (!request.route) return [];
  const operation = `${request.method} ${request.route}`;
  if (!hasBodySchema(operation)) return [];
  const errors: FieldError[] = [];
  const contentType = (request.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (contentType !== "application/json") {
    errors.push({ field: "", message: `Content-Type must be application/json (got "${contentType}")` });
  }
  if (request.rawBody === "") return [...errors, { field: "", message: "Field required (empty body)" }];
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody);
  } catch {
    return [...errors, { field: "", message: "JSON decode error" }];
  }
  errors.push(...validateBody(operation, body, "spec"));
  textProblems(body, [], errors);
  return errors;
}

/** Reports for every request whose body does not conform. */
export function collectSchemaErrors(requests: RecordedRequest[]): SchemaErrorReport[] {
  const reports: SchemaErrorReport[] = [];
  for (const r of requests) {
    const errors = requestSchemaErrors(r);
    if (errors.length > 0) reports.push({ seq: r.seq, method: r.method, path: r.path, requestId: r.requestId, errors });
  }
  return reports;
}
