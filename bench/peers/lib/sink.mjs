// A local "cloud" for every observability SDK under test.
//
// It accepts whatever an exporter sends, answers with the status and body that
// SDK expects, and records every request (route, wire bytes, encoding). Bodies
// are kept until `collect()` so that decoding and item counting happen after
// the measured run, not while the benchmark is running.
//
// Routes with special answers:
//   LangSmith : GET /info, POST /runs/multipart, POST /runs/batch, POST /runs, PATCH /runs/:id
//   Langfuse  : POST /api/public/otel/v1/traces (OTLP/HTTP), POST /api/public/ingestion
//   Braintrust: POST /api/apikey/login, POST /api/project/register, GET /version, POST /logs3
//   PandaProbe: POST /traces, POST /traces/:id/spans, PATCH /traces/:id, PATCH /traces/:id/spans/:sid,
//               POST /evaluations/trace-scores (this project's packages and the `pandaprobe` npm package)
//   Generic   : POST .../v1/traces (any OTLP/HTTP exporter; spans counted when JSON)
// Anything else gets 200 {} and is listed under `unknownRoutes`.
import http from "node:http";
import zlib from "node:zlib";

const MAX_KEPT_BYTES = 512 * 1024 * 1024;

/**
 * What LangSmith's /info advertises. "cloud" mimics the hosted service
 * (multipart ingest, gzip/zstd accepted); "minimal" answers 404 so the SDK
 * falls back to its built-in defaults. Select with BENCH_LANGSMITH_INFO.
 */
function langsmithInfo() {
  return {
    version: "0.12.0",
    license_expiration_time: null,
    batch_ingest_config: {
      use_multipart_endpoint: true,
      scale_up_qsize_trigger: 1000,
      scale_up_nthreads_limit: 16,
      scale_down_nempty_trigger: 4,
      size_limit: 100,
      size_limit_bytes: 20_971_520,
    },
    instance_flags: {
      gzip_body_enabled: true,
      zstd_compression_enabled: true,
      dataset_examples_multipart_enabled: true,
      examples_multipart_enabled: true,
    },
  };
}

/** Groups a request path into a short route name used in reports. */
function routeOf(method, path) {
  if (path === "/info") return "langsmith:info";
  if (path === "/runs/multipart") return "langsmith:runs/multipart";
  if (path === "/runs/batch") return "langsmith:runs/batch";
  if (path === "/runs" || path.startsWith("/runs/")) return `langsmith:${method} runs`;
  if (path.startsWith("/api/public/otel/")) return "langfuse:otlp";
  if (path === "/api/public/ingestion") return "langfuse:ingestion";
  if (path.startsWith("/api/public/")) return `langfuse:${path.slice("/api/public/".length)}`;
  if (path === "/api/apikey/login") return "braintrust:login";
  if (path === "/api/project/register") return "braintrust:project-register";
  if (path === "/version") return "braintrust:version";
  if (path === "/logs3") return "braintrust:logs3";
  if (path.startsWith("/otel/")) return "braintrust:otlp";
  if (path.endsWith("/v1/traces")) return "otlp"; // any other OTLP/HTTP exporter
  if (path === "/traces" && method === "POST") return "pandaprobe:traces";
  if (/^\/traces\/[^/]+\/spans$/.test(path) && method === "POST") return "pandaprobe:spans";
  if (/^\/traces\/[^/]+$/.test(path) && method === "PATCH") return "pandaprobe:trace-update";
  if (/^\/traces\/[^/]+\/spans\/[^/]+$/.test(path) && method === "PATCH") return "pandaprobe:span-update";
  if (path === "/evaluations/trace-scores") return "pandaprobe:scores";
  return null;
}

function answer(route, req, baseUrl) {
  const json = (status, body) => ({ status, type: "application/json", body: JSON.stringify(body) });
  switch (route) {
    case "langsmith:info":
      return process.env.BENCH_LANGSMITH_INFO === "minimal"
        ? json(404, { detail: "Not Found" })
        : json(200, langsmithInfo());
    case "langsmith:runs/multipart":
    case "langsmith:runs/batch":
      return json(202, {});
    case "langfuse:otlp":
    case "braintrust:otlp":
    case "otlp":
      return (req.headers["content-type"] || "").includes("protobuf")
        ? { status: 200, type: "application/x-protobuf", body: "" }
        : json(200, { partialSuccess: {} });
    case "langfuse:ingestion":
      return json(207, { successes: [], errors: [] });
    case "pandaprobe:traces":
      return json(202, { trace_id: "bench", task_id: "bench" });
    case "pandaprobe:spans":
    case "pandaprobe:scores":
      return json(201, {});
    case "pandaprobe:trace-update":
    case "pandaprobe:span-update":
      return json(200, {});
    case "braintrust:login":
      return json(200, {
        org_info: [{ id: "org-bench", name: "bench-org", api_url: baseUrl, proxy_url: baseUrl, git_metadata: null }],
      });
    case "braintrust:project-register":
      return json(200, { project: { id: "project-bench", name: "bench", org_id: "org-bench" } });
    case "braintrust:version":
      return json(200, {});
    default:
      return json(200, {});
  }
}

function decode(buf, encoding) {
  switch ((encoding || "identity").toLowerCase()) {
    case "gzip":
      return zlib.gunzipSync(buf);
    case "deflate":
      return zlib.inflateSync(buf);
    case "br":
      return zlib.brotliDecompressSync(buf);
    case "zstd":
      return zlib.zstdDecompressSync(buf);
    default:
      return buf;
  }
}

/** The JSON parts of a multipart/form-data body whose field name starts with `prefix` (LangSmith's `post.<run id>`). */
function multipartJson(contentType, text, prefix) {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (!boundary) return [];
  const out = [];
  for (const part of text.split(`--${boundary}`)) {
    const split = part.indexOf("\r\n\r\n");
    if (split < 0) continue;
    const name = /name="([^"]+)"/.exec(part.slice(0, split))?.[1];
    // `post.<id>` holds the run; `post.<id>.inputs` / `.outputs` / `.events` hold its payloads.
    if (!name?.startsWith(prefix) || name.split(".").length !== 2) continue;
    out.push(JSON.parse(part.slice(split + 4).replace(/\r\n$/, "")));
  }
  return out;
}

/**
 * Counts trace items (runs, spans, rows) in one decoded request body, and adds the trace and span ids it carries to
 * `ids` (`traces`, `spans`: Sets), so that each variant's delivery can be checked against the calls it traced
 * whatever its wire format: a LangSmith run, an OTLP span, a Braintrust row and a PandaProbe span are all one span;
 * their trace_id / traceId / root_span_id / trace_id is the trace. Updates and merges of the same span count once.
 */
function countItems(route, contentType, text, ids, path) {
  const items = {};
  const add = (k, n) => (items[k] = (items[k] || 0) + n);
  const span = (traceId, spanId) => {
    if (traceId) ids.traces.add(String(traceId));
    if (spanId) ids.spans.add(String(spanId));
  };
  try {
    if (route === "langsmith:runs/multipart") {
      for (const m of text.matchAll(/name="(post|patch)\.[0-9a-f-]{36}"/g)) add(`runs.${m[1]}`, 1);
      for (const run of multipartJson(contentType, text, "post.")) span(run.trace_id, run.id);
    } else if (route === "langsmith:runs/batch") {
      const body = JSON.parse(text);
      add("runs.post", body.post?.length ?? 0);
      add("runs.patch", body.patch?.length ?? 0);
      for (const run of body.post ?? []) span(run.trace_id, run.id);
    } else if (route === "langsmith:POST runs") {
      add("runs.post", 1);
      const run = JSON.parse(text);
      span(run.trace_id, run.id);
    } else if (route === "langsmith:PATCH runs") {
      add("runs.patch", 1);
    } else if (route === "langfuse:otlp" || route === "braintrust:otlp" || route === "otlp") {
      if (contentType.includes("json")) {
        const body = JSON.parse(text);
        for (const rs of body.resourceSpans ?? [])
          for (const ss of rs.scopeSpans ?? []) {
            add("spans", ss.spans?.length ?? 0);
            for (const s of ss.spans ?? []) span(s.traceId, s.spanId);
          }
      } else {
        add("otlp.protobuf.requests", 1);
      }
    } else if (route === "pandaprobe:traces") {
      const body = JSON.parse(text);
      add("traces", 1);
      add("spans", body.spans?.length ?? 0);
      span(body.trace_id, null);
      for (const s of body.spans ?? []) span(body.trace_id, s.span_id);
    } else if (route === "pandaprobe:spans") {
      const spans = JSON.parse(text);
      add("spans", spans.length ?? 0);
      const traceId = path.split("/")[2];
      for (const s of spans) span(traceId, s.span_id);
    } else if (route === "pandaprobe:trace-update" || route === "pandaprobe:span-update") {
      // Updates of what was sent before, not new trace items (like LangSmith's patches, but not counted as items).
      add(route === "pandaprobe:trace-update" ? "updates.trace" : "updates.span", 1);
    } else if (route === "pandaprobe:scores") {
      add("scores", 1);
    } else if (route === "langfuse:ingestion") {
      const batch = JSON.parse(text).batch ?? [];
      add("events", batch.length);
      for (const e of batch) span(e.body?.traceId ?? (e.type === "trace-create" ? e.body?.id : null), e.body?.id);
    } else if (route === "braintrust:logs3") {
      const rows = JSON.parse(text).rows ?? [];
      add("rows", rows.length);
      for (const r of rows) span(r.root_span_id, r.span_id);
    }
  } catch {
    add("unparsed", 1);
  }
  return items;
}

/**
 * @param {object} [o]
 * @param {number} [o.latencyMs] delay before each answer, to mimic a remote
 *   service (batching behaviour of some SDKs depends on it). Default 0.
 */
export async function startSink({ latencyMs = 0 } = {}) {
  let records = [];
  let keptBytes = 0;
  let baseUrl = "";

  const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const parts = [];
    let size = 0;
    req.on("data", (c) => {
      parts.push(c);
      size += c.length;
    });
    req.on("end", () => {
      const path = req.url.split("?")[0];
      const route = routeOf(req.method, path);
      const body = Buffer.concat(parts);
      const keep = keptBytes + size <= MAX_KEPT_BYTES;
      if (keep) keptBytes += size;
      records.push({
        method: req.method,
        path,
        route: route ?? `unknown:${req.method} ${path}`,
        bytes: size,
        encoding: req.headers["content-encoding"] || null,
        contentType: req.headers["content-type"] || "",
        body: keep ? body : null,
      });
      const { status, type, body: out } = answer(route, req, baseUrl);
      const reply = () => {
        res.writeHead(status, { "content-type": type });
        res.end(out);
      };
      if (latencyMs > 0) setTimeout(reply, latencyMs);
      else reply();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}`;

  return {
    url: baseUrl,
    /** Forget everything received so far. */
    reset() {
      records = [];
      keptBytes = 0;
    },
    /** Summarise (and decode) everything received since the last reset. */
    collect() {
      const summary = { requests: 0, bytes: 0, decodedBytes: 0, items: {}, routes: {}, unknownRoutes: [] };
      const ids = { traces: new Set(), spans: new Set() };
      for (const r of records) {
        summary.requests++;
        summary.bytes += r.bytes;
        const route = (summary.routes[r.route] ??= { requests: 0, bytes: 0, encodings: [] });
        route.requests++;
        route.bytes += r.bytes;
        if (r.encoding && !route.encodings.includes(r.encoding)) route.encodings.push(r.encoding);
        if (r.route.startsWith("unknown:") && !summary.unknownRoutes.includes(r.route))
          summary.unknownRoutes.push(r.route);
        if (!r.body) continue;
        let decoded = r.body;
        try {
          decoded = decode(r.body, r.encoding);
        } catch {
          summary.items.undecodable = (summary.items.undecodable || 0) + 1;
        }
        summary.decodedBytes += decoded.length;
        const items = countItems(r.route, r.contentType, decoded.toString("utf8"), ids, r.path);
        for (const [k, n] of Object.entries(items)) summary.items[k] = (summary.items[k] || 0) + n;
      }
      summary.traces = ids.traces.size;
      summary.spans = ids.spans.size;
      summary.unkeptBodies = records.filter((r) => !r.body).length; // over MAX_KEPT_BYTES: not counted
      return summary;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
