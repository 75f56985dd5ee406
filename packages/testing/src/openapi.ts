/**
 * The PandaProbe OpenAPI document (a verbatim copy of the backend's docs/openapi.json) and the request-body
 * schema of each route, taken from it.
 */
import { readFileSync } from "node:fs";

type Json = Record<string, unknown>;

interface OpenApiDoc {
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json> };
}

let cached: OpenApiDoc | undefined;

/** Loads (once) the OpenAPI document shipped in packages/testing/openapi. */
export function openApiDoc(): OpenApiDoc {
  cached ??= JSON.parse(
    readFileSync(new URL("../openapi/pandaprobe-openapi.json", import.meta.url), "utf8"),
  ) as OpenApiDoc;
  return cached;
}

export const HTTP_METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** One (method, path template) pair of the real API, in the document's declaration order. */
export interface ApiOperation {
  method: string;
  template: string;
  /** JSON schema of the request body, `#/components/...` refs unresolved; undefined when there is no body. */
  bodySchema?: Json;
}

/** Every operation in the document, in declaration order (this is also FastAPI's matching order). */
export function apiOperations(): ApiOperation[] {
  const ops: ApiOperation[] = [];
  for (const [template, item] of Object.entries(openApiDoc().paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const body = op.requestBody as { content?: Record<string, { schema?: Json }> } | undefined;
      ops.push({ method: method.toUpperCase(), template, bodySchema: body?.content?.["application/json"]?.schema });
    }
  }
  return ops;
}
