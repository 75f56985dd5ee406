/**
 * The request pipeline in the backend's order (§1): route match (404/405/307), default rate limit, JSON parsing
 * (422 before auth), authentication and project resolution (401/422), path/query/body validation (422), then the
 * handler (which applies the POST /traces limits). Project auto-creation is rolled back when the request fails.
 */
import { authenticate, credentialKey } from "./auth.js";
import { InternalServerError } from "./patch.js";
import type { FixedWindowLimiter } from "./rate-limit.js";
import { matchRoute } from "./router.js";
import { HttpError, type IngestServices, type RouteContext } from "./routes/context.js";
import type { Project, Store } from "./store.js";
import type { ApiKeySpec, RecordedRequest } from "./types.js";
import { parseUuid } from "./uuid.js";
import { hasBodySchema, validateBody, type FieldError } from "./validate.js";

/** What the pipeline answers: JSON, plain text, or nothing. */
export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
  /** An unhandled server error: the real server then drops the keep-alive connection. */
  internalError?: boolean;
}

export interface DispatchDeps {
  store: Store;
  services: IngestServices;
  keys: Map<string, ApiKeySpec>;
  authEnabled: boolean;
  defaultLimiter?: FixedWindowLimiter;
  baseUrl: string;
}

export interface IncomingData {
  method: string;
  path: string;
  search: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  raw: Buffer;
  remoteAddress: string;
  entry: RecordedRequest;
}

/** The plain-text 500 the backend answers for unhandled exceptions. */
export const INTERNAL_ERROR: Reply = { status: 500, text: "Internal Server Error", internalError: true };

const MISSING = Symbol("missing body");

function validationError(errors: FieldError[]): Reply {
  return { status: 422, json: { detail: "Validation error", errors } };
}

function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const media = value.split(";")[0].trim().toLowerCase();
  const [type, subtype = ""] = media.split("/");
  return type === "application" && (subtype === "json" || subtype.endsWith("+json"));
}

/** Parses the body as FastAPI does; a Reply when parsing fails (answered before auth). */
function parseBody(data: IncomingData): { body: unknown } | { reply: Reply } {
  const encoding = data.headers["content-encoding"];
  if (encoding && encoding.toLowerCase() !== "identity") {
    return { reply: { status: 400, json: { detail: "There was an error parsing the body" } } };
  }
  if (data.raw.length === 0) return { body: MISSING };
  const text = data.raw.toString("utf8");
  if (!isJsonContentType(data.headers["content-type"])) return { body: text };
  try {
    return { body: JSON.parse(text) };
  } catch (error) {
    const position = /position (\d+)/.exec(String((error as Error).message))?.[1] ?? String(text.length);
    return { reply: validationError([{ field: position, message: "JSON decode error" }]) };
  }
}

/** Runs one request through the pipeline. */
export function dispatch(deps: DispatchDeps, data: IncomingData): Reply {
  const match = matchRoute(data.method, data.path);
  if (match.kind === "not-found") return { status: 404, json: { detail: "Not Found" } };
  if (match.kind === "method-not-allowed") {
    return { status: 405, json: { detail: "Method Not Allowed" }, headers: { allow: match.allow.join(", ") } };
  }
  if (match.kind === "redirect") {
    return { status: 307, headers: { location: `${deps.baseUrl}${match.path}${data.search}` } };
  }
  data.entry.route = match.route.template;
  const def = match.route.def;
  const credential = credentialKey(data.headers, data.remoteAddress);
  if (
    match.operation !== "POST /traces" &&
    deps.defaultLimiter &&
    !deps.defaultLimiter.hit(`${credential} ${data.path}`)
  ) {
    return { status: 429, json: deps.defaultLimiter.errorBody };
  }
  let body: unknown = MISSING;
  if (hasBodySchema(match.operation)) {
    const parsed = parseBody(data);
    if ("reply" in parsed) return parsed.reply;
    body = parsed.body;
  }
  const auth = authenticate(data.headers, deps.keys, deps.authEnabled);
  if (!auth.ok) return { status: auth.status, json: { detail: auth.detail } };
  if (!def) {
    return { status: 501, json: { detail: `Not implemented by the PandaProbe stand-in: ${match.operation}` } };
  }

  const errors: FieldError[] = [];
  for (const name of def.uuidParams ?? []) {
    const parsed = parseUuid(match.params[name]);
    if (!parsed.ok)
      errors.push({ field: `path -> ${name}`, message: `Input should be a valid UUID, ${parsed.reason}` });
  }
  errors.push(...(def.query?.(data.query) ?? []));
  if (hasBodySchema(match.operation)) {
    if (body === MISSING) errors.push({ field: "", message: "Field required" });
    else errors.push(...validateBody(match.operation, body, "server"));
  }
  if (errors.length === 0 && def.check) errors.push(...def.check(body));
  if (errors.length > 0) return validationError(errors);

  let created: Project | undefined;
  let project: Project | undefined;
  const ctx: RouteContext = {
    method: data.method,
    path: data.path,
    params: match.params,
    query: data.query,
    body,
    request: data.entry,
    credential,
    organization: auth.organization,
    store: deps.store,
    services: deps.services,
    project() {
      project ??=
        deps.store.findProject(auth.organization, auth.projectName) ??
        (created = deps.store.createProject(auth.organization, auth.projectName));
      return project;
    },
  };
  let reply: Reply;
  try {
    const result = def.handle(ctx);
    reply = { status: result.status, json: result.body };
  } catch (error) {
    if (error instanceof HttpError) reply = { status: error.status, json: error.body };
    else if (error instanceof InternalServerError) reply = INTERNAL_ERROR;
    else {
      data.entry.fault = `stand-in bug: ${(error as Error).stack ?? String(error)}`;
      reply = INTERNAL_ERROR;
    }
  }
  if (created && reply.status >= 400) deps.store.deleteProject(created);
  return reply;
}
