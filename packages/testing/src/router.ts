/**
 * Route matching with Starlette's rules: routes in the OpenAPI document's order; the first route matching path
 * and method wins; a path match with another method gives 405; otherwise a trailing-slash variant that matches
 * gives a 307 redirect; otherwise 404.
 */
import { apiOperations } from "./openapi.js";
import type { RouteDef } from "./routes/context.js";
import { readRoutes } from "./routes/read.js";
import { scoreRoutes } from "./routes/scores.js";
import { traceWriteRoutes } from "./routes/traces.js";

interface CompiledRoute {
  method: string;
  template: string;
  regex: RegExp;
  names: string[];
  def?: RouteDef;
}

export type RouteMatch =
  | { kind: "route"; route: CompiledRoute; operation: string; params: Record<string, string> }
  | { kind: "method-not-allowed"; allow: string[] }
  | { kind: "redirect"; path: string }
  | { kind: "not-found" };

const implemented: Record<string, RouteDef> = { ...traceWriteRoutes, ...readRoutes, ...scoreRoutes };
let routes: CompiledRoute[] | undefined;

function compile(): CompiledRoute[] {
  return apiOperations().map((op) => {
    const names: string[] = [];
    const source = op.template
      .replace(/[.*+?^$()|[\]\\]/g, "\\$&")
      .replace(/\\?\{(\w+)\\?\}|\{(\w+)\}/g, (_m, a, b) => {
        names.push(a ?? b);
        return "([^/]+)";
      });
    return {
      method: op.method,
      template: op.template,
      regex: new RegExp(`^${source}$`),
      names,
      def: implemented[`${op.method} ${op.template}`],
    };
  });
}

function matchPath(method: string, path: string): RouteMatch {
  routes ??= compile();
  const allow = new Set<string>();
  for (const route of routes) {
    const m = route.regex.exec(path);
    if (!m) continue;
    if (route.method !== method && !(method === "HEAD" && route.method === "GET")) {
      for (const r of routes) if (r.template === route.template) allow.add(r.method);
      continue;
    }
    const params: Record<string, string> = {};
    route.names.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1]);
    });
    return { kind: "route", route, operation: `${route.method} ${route.template}`, params };
  }
  return allow.size > 0 ? { kind: "method-not-allowed", allow: [...allow] } : { kind: "not-found" };
}

/** Matches a request path (without query) to a route of the API. */
export function matchRoute(method: string, path: string): RouteMatch {
  const direct = matchPath(method, path);
  if (direct.kind !== "not-found") return direct;
  const alternative = path.endsWith("/") ? path.slice(0, -1) : `${path}/`;
  if (alternative !== "" && matchPath(method, alternative).kind !== "not-found") {
    return { kind: "redirect", path: alternative };
  }
  return direct;
}
