/**
 * A local fake Anthropic HTTP server (node:http, 127.0.0.1) for the real `@anthropic-ai/sdk` clients, speaking the
 * three wire dialects they use:
 * - the Anthropic API: `POST /v1/messages` (JSON, or SSE with the real event sequence: `message_start`,
 *   `content_block_start/delta/stop` with `text_delta`, `input_json_delta`, `thinking_delta`, `signature_delta`,
 *   `ping`, `message_delta` with usage, `message_stop`), `/v1/messages/count_tokens`, `/v1/messages/batches`;
 * - Amazon Bedrock (`AnthropicBedrock`): `POST /model/{model}/invoke` (JSON) and `/invoke-with-response-stream`
 *   (the same events in AWS EventStream binary frames, `{ bytes: base64 }` chunks), SigV4-signed;
 * - Google Vertex AI (`AnthropicVertex`): `POST .../publishers/anthropic/models/{model}:rawPredict` (JSON) and
 *   `:streamRawPredict` (SSE), `count-tokens:rawPredict`, with an OAuth bearer token.
 *
 * Behaviour is chosen by the request (so concurrent tests cannot interfere):
 * - client tools offered and the last user turn holds no `tool_result` → a `tool_use` of the first tool (Paris);
 * - a server tool (`web_search_*`) offered → a web search (`server_tool_use` + `web_search_tool_result`) then text;
 * - `thinking` enabled → a `thinking` block (with its signature) and a `redacted_thinking` block before the text;
 * - `output_config.format` → JSON text; model `claude-hang` → a stream that sends 3 events then waits until the
 *   client goes away; `claude-drop` → 3 events then the connection is cut; `claude-error-event` → an SSE `error`
 *   event (`overloaded_error`) mid-stream;
 * - header `x-fake-fail: <status>x<count>` → the first <count> attempts of that request id (`x-fake-id`) fail with
 *   <status> (429 `rate_limit_error`, 529 `overloaded_error`, 500 `api_error`), with `retry-after-ms: 1`.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { preciseDelay, scriptedFailure } from "@pandaprobe/testing";

/** Usage as Anthropic reports it (input excludes the cache reads and writes). */
export const USAGE = {
  input_tokens: 12,
  cache_creation_input_tokens: 3,
  cache_read_input_tokens: 4,
  output_tokens: 7,
  service_tier: "standard",
};
/** The core usage shape it maps to: `prompt_tokens` = input + cache reads + cache writes. */
export const EXPECTED_USAGE = {
  prompt_tokens: 19,
  completion_tokens: 7,
  total_tokens: 26,
  cache_read_tokens: 4,
  cache_creation_tokens: 3,
};
export const THINKING = "The user wants the weather. I should answer briefly.";
export const SEARCH_RESULTS = [
  { type: "web_search_result", url: "https://weather.example/paris", title: "Paris weather", page_age: "1 hour ago" },
];

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

export interface FakeAnthropic {
  /** Base URL of the Anthropic API dialect (`new Anthropic({ baseURL })`). */
  baseURL: string;
  /** Base URL for `AnthropicBedrock` and `AnthropicVertex` (they add their own paths). */
  origin: string;
  requests: RecordedRequest[];
  /** Resolves when a hanging stream's client has gone away (aborted). */
  waitForHangClosed(): Promise<void>;
  close(): Promise<void>;
}

type Body = any;
type Dialect = "anthropic" | "bedrock" | "vertex";
type Send = (event: Body) => Promise<void>;

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** `latencyMs`: pause before answering (a remote API's latency; the benchmark uses it). */
export async function startFakeAnthropic({ latencyMs = 0 }: { latencyMs?: number } = {}): Promise<FakeAnthropic> {
  const requests: RecordedRequest[] = [];
  const failures = new Map<string, number>();
  let hangClosed: (() => void)[] = [];
  const sockets = new Set<Socket>();

  const server = http.createServer(async (req, res) => {
    let raw = "";
    for await (const c of req) raw += c;
    let body: Body = {};
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      body = { _raw: raw };
    }
    const path = req.url ?? "";
    requests.push({ method: req.method ?? "", path, headers: req.headers, body });
    if (latencyMs) await preciseDelay(latencyMs);
    const route = routeOf(req.method, path, body);
    if (!route) return sendJson(res, 404, errorBody("not_found_error", `no fake for ${req.method} ${path}`));
    const auth = authProblem(route.dialect, req.headers);
    if (auth) return sendJson(res, 401, errorBody("authentication_error", auth));
    const fail = scriptedFailure(req.headers, failures);
    if (fail) {
      const type = fail === 429 ? "rate_limit_error" : fail === 529 ? "overloaded_error" : "api_error";
      return sendJson(res, fail, errorBody(type, `fake ${fail}`), { "retry-after-ms": "1", "request-id": "req_fail" });
    }
    if (route.kind === "count") return sendJson(res, 200, { input_tokens: 42 });
    if (route.kind === "batch") return sendJson(res, 200, batch(body));
    const model: string = route.model ?? body.model ?? "claude-fake";
    if (!route.stream) return sendJson(res, 200, message(body, model));
    let sent = 0;
    const send: Send = async (event) => {
      if (sent === 3 && model === "claude-hang") {
        await new Promise<void>((resolve) => res.once("close", resolve));
        for (const r of hangClosed) r();
        hangClosed = [];
        throw new Error("client gone");
      }
      if (sent === 3 && model === "claude-drop") {
        res.socket?.destroy();
        throw new Error("dropped");
      }
      sent++;
      await new Promise<void>((resolve) => res.write(frame(route.dialect, event), () => resolve()));
    };
    res.writeHead(200, {
      "content-type": route.dialect === "bedrock" ? "application/vnd.amazon.eventstream" : "text/event-stream",
      "cache-control": "no-cache",
      "request-id": "req_fake_sse",
    });
    try {
      await streamMessage(body, model, send);
      res.end();
    } catch {
      if (!res.destroyed) res.destroy();
    }
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    baseURL: origin,
    origin,
    requests,
    waitForHangClosed: () => new Promise<void>((r) => hangClosed.push(r)),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

interface Route {
  dialect: Dialect;
  kind: "message" | "count" | "batch";
  stream: boolean;
  /** The model named by the path (Bedrock, Vertex: it is not in the body). */
  model?: string;
}

function routeOf(method: string | undefined, url: string, body: Body): Route | undefined {
  if (method !== "POST") return undefined;
  const path = url.split("?")[0];
  if (path === "/v1/messages") return { dialect: "anthropic", kind: "message", stream: body.stream === true };
  if (path === "/v1/messages/count_tokens") return { dialect: "anthropic", kind: "count", stream: false };
  if (path === "/v1/messages/batches") return { dialect: "anthropic", kind: "batch", stream: false };
  const bedrock = /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream)$/.exec(path);
  if (bedrock) {
    const model = decodeURIComponent(bedrock[1]);
    return { dialect: "bedrock", kind: "message", stream: bedrock[2] !== "invoke", model };
  }
  const vertex = /\/publishers\/anthropic\/models\/([^/:]+):(rawPredict|streamRawPredict)$/.exec(path);
  if (vertex) {
    const model = decodeURIComponent(vertex[1]);
    if (model === "count-tokens") return { dialect: "vertex", kind: "count", stream: false };
    return { dialect: "vertex", kind: "message", stream: vertex[2] === "streamRawPredict", model };
  }
  return undefined;
}

/** Each dialect's credential, as its client sends it (never checked for validity: there is nothing to check it against). */
function authProblem(dialect: Dialect, headers: http.IncomingHttpHeaders): string | undefined {
  const authorization = String(headers.authorization ?? "");
  // 0.x sends an API key as `x-api-key`; 1.x as a bearer token.
  if (dialect === "anthropic")
    return headers["x-api-key"] || authorization.startsWith("Bearer ") ? undefined : "an API key is required";
  if (dialect === "bedrock") {
    return authorization.startsWith("AWS4-HMAC-SHA256 Credential=") && headers["x-amz-date"]
      ? undefined
      : "a SigV4 signature is required";
  }
  return authorization.startsWith("Bearer ") ? undefined : "an OAuth bearer token is required";
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", "request-id": "req_fake_123", ...headers });
  res.end(JSON.stringify(body));
}

const errorBody = (type: string, message: string) => ({
  type: "error",
  error: { type, message },
  request_id: "req_fail",
});

/** An event as its dialect frames it: SSE (`event:` named by its type), or an AWS EventStream `chunk`. */
function frame(dialect: Dialect, event: Body): string | Uint8Array {
  if (dialect !== "bedrock") return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
  const bytes = Buffer.from(JSON.stringify(event)).toString("base64");
  return codec.encode({
    headers: {
      ":event-type": { type: "string", value: "chunk" },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "event" },
    },
    body: fromUtf8(JSON.stringify({ bytes })),
  });
}

const isServerTool = (tool: Body) => typeof tool?.type === "string" && tool.type.startsWith("web_search");
const lastUserHasToolResult = (body: Body) => {
  const last = Array.isArray(body.messages) ? body.messages.at(-1) : undefined;
  return Array.isArray(last?.content) && last.content.some((b: Body) => b?.type === "tool_result");
};

/** The content blocks of the fake's answer to `body`. */
function contentOf(body: Body): Body[] {
  const tools: Body[] = Array.isArray(body.tools) ? body.tools : [];
  const clientTool = tools.find((t) => !t.type || t.type === "custom");
  const blocks: Body[] = [];
  if (body.thinking?.type === "enabled" || body.thinking?.type === "adaptive") {
    blocks.push({ type: "thinking", thinking: THINKING, signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pk" });
    blocks.push({
      type: "redacted_thinking",
      data: "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP",
    });
  }
  if (tools.some(isServerTool)) {
    blocks.push({ type: "server_tool_use", id: "srvtoolu_01", name: "web_search", input: { query: "weather Paris" } });
    blocks.push({
      type: "web_search_tool_result",
      tool_use_id: "srvtoolu_01",
      content: SEARCH_RESULTS.map((r) => ({ ...r, encrypted_content: "Eo8BCioIAhgBIiQ3ZjVhMzk0NS1kOWRl" })),
    });
  }
  if (clientTool && !lastUserHasToolResult(body)) {
    blocks.push({ type: "tool_use", id: "toolu_01", name: clientTool.name, input: { city: "Paris" } });
    return blocks;
  }
  const text = body.output_config?.format ? '{"city":"Paris","temp":21}' : "It is sunny.";
  blocks.push({ type: "text", text, citations: null });
  return blocks;
}

function message(body: Body, model: string) {
  const content = contentOf(body);
  const searches = content.filter((b) => b.type === "server_tool_use").length;
  return {
    id: "msg_fake1",
    type: "message",
    role: "assistant",
    model: `${model}-20250101`,
    content,
    stop_reason: content.at(-1)?.type === "tool_use" ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: { ...USAGE, ...(searches ? { server_tool_use: { web_search_requests: searches } } : undefined) },
  };
}

/** The real event sequence of a streamed message, with the text and JSON split across several deltas. */
async function streamMessage(body: Body, model: string, send: Send): Promise<void> {
  const final = message(body, model);
  const { input_tokens, cache_creation_input_tokens, cache_read_input_tokens } = USAGE;
  await send({
    type: "message_start",
    message: {
      ...final,
      content: [],
      stop_reason: null,
      usage: { input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens: 1 },
    },
  });
  if (model === "claude-error-event") {
    await send({ type: "ping" });
    await send({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
    return;
  }
  for (const [index, block] of final.content.entries()) {
    await streamBlock(index, block, send);
    if (index === 0) await send({ type: "ping" });
  }
  await send({
    type: "message_delta",
    delta: { stop_reason: final.stop_reason, stop_sequence: null },
    usage: {
      output_tokens: USAGE.output_tokens,
      ...("server_tool_use" in final.usage ? { server_tool_use: final.usage.server_tool_use } : undefined),
    },
  });
  await send({ type: "message_stop" });
}

async function streamBlock(index: number, block: Body, send: Send): Promise<void> {
  const delta = (d: Body) => send({ type: "content_block_delta", index, delta: d });
  switch (block.type) {
    case "text":
      await send({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
      for (const text of split(block.text)) await delta({ type: "text_delta", text });
      break;
    case "thinking":
      await send({
        type: "content_block_start",
        index,
        content_block: { type: "thinking", thinking: "", signature: "" },
      });
      for (const thinking of split(block.thinking)) await delta({ type: "thinking_delta", thinking });
      await delta({ type: "signature_delta", signature: block.signature });
      break;
    case "tool_use":
    case "server_tool_use":
      await send({ type: "content_block_start", index, content_block: { ...block, input: {} } });
      for (const partial_json of split(JSON.stringify(block.input)))
        await delta({ type: "input_json_delta", partial_json });
      break;
    default: // redacted_thinking, web_search_tool_result: whole in their start event
      await send({ type: "content_block_start", index, content_block: block });
  }
  await send({ type: "content_block_stop", index });
}

/** `text` in three pieces. */
function split(text: string): string[] {
  const a = Math.ceil(text.length / 3);
  return [text.slice(0, a), text.slice(a, 2 * a), text.slice(2 * a)].filter(Boolean);
}

function batch(body: Body) {
  const n = Array.isArray(body.requests) ? body.requests.length : 0;
  return {
    id: "msgbatch_fake1",
    type: "message_batch",
    processing_status: "in_progress",
    request_counts: { processing: n, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
    ended_at: null,
    created_at: "2026-01-01T00:00:00Z",
    expires_at: "2026-01-02T00:00:00Z",
    archived_at: null,
    cancel_initiated_at: null,
    results_url: null,
  };
}
