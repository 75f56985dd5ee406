/**
 * A local fake Anthropic Messages API (node:http, 127.0.0.1) for the Claude Agent SDK's bundled CLI, which reaches
 * it through `ANTHROPIC_BASE_URL`: `POST /v1/messages` answered as JSON or as the real SSE event sequence
 * (`message_start`, `ping`, per block `content_block_start` / `content_block_delta` / `content_block_stop`,
 * `message_delta` with the final usage, `message_stop`), scripted HTTP errors, and streams cut short or held open.
 *
 * Replies are scripted per scenario, chosen by the request (concurrent tests never interfere): a conversation whose
 * first user message contains `[[name]]` follows scenario `name`'s `main` replies, one whose first message contains
 * `[[name/sub]]` (a subagent's prompt) its `sub` replies; the reply is picked by the number of assistant messages
 * already in the conversation. Any other request (Claude Code's own warm-up or helper calls) gets a short answer.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Usage {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export type Block =
  | { type: "text"; text: string }
  | { type: "thinking"; thinking: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

export interface Turn {
  blocks: Block[];
  stop?: "end_turn" | "tool_use" | "max_tokens";
  usage?: Usage;
  /** The first attempt of this turn fails: an HTTP error, or a stream that ends before `message_stop` (`cut`). */
  failFirst?: { status: number; type: string } | "cut";
  /** Send the first block, then hold the stream open until the client goes away (an interrupt). */
  hold?: boolean;
}

export type Reply = Turn | { error: { status: number; type: string; message: string } };

export interface Scenario {
  main: Reply[];
  sub?: Reply[];
}

export interface RecordedRequest {
  path: string;
  stream: boolean;
  body: any;
  /** The scenario thread it was routed to (`name`, `name/sub`), if any. */
  route?: string;
}

export interface FakeAnthropic {
  baseURL: string;
  requests: RecordedRequest[];
  /** Registers scenario `name` (use a name unique to the test). */
  script(name: string, scenario: Scenario): void;
  /** Resolves once `n` held streams (in all) have seen their client go away. */
  waitForHeldClosed(n?: number): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_USAGE: Usage = { input: 100, output: 20, cacheRead: 50, cacheWrite: 10 };
const MARKER = /\[\[([\w.-]+(?:\/sub)?)\]\]/;

export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  const scenarios = new Map<string, Scenario>();
  const attempts = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  let ids = 0;
  let heldClosed = 0;
  const heldWaiters: Array<{ n: number; resolve: () => void }> = [];

  const server = http.createServer((req, res) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (text += c));
    req.on("end", () => {
      const path = (req.url ?? "").split("?")[0];
      let body: any;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      if (req.method === "POST" && path === "/v1/messages/count_tokens") return json(res, 200, { input_tokens: 10 });
      if (req.method !== "POST" || path !== "/v1/messages" || !body) {
        return json(res, 404, { type: "error", error: { type: "not_found_error", message: `no ${path}` } });
      }
      const route = routeOf(body);
      requests.push({ path, stream: body.stream === true, body, route });
      let reply = pick(route, body);
      if ("error" in reply) return json(res, reply.error.status, { type: "error", error: reply.error });
      const key = `${route}#${turnIndex(body)}`;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      if (reply.failFirst && attempt === 1) {
        if (reply.failFirst !== "cut") {
          return json(res, reply.failFirst.status, {
            type: "error",
            error: { type: reply.failFirst.type, message: "scripted failure" },
          });
        }
        if (body.stream) return cutStream(res, body.model, usageOf(reply));
      }
      const id = `msg_fake_${++ids}`;
      reply = resolveNames(reply, body);
      if (!body.stream) return json(res, 200, messageJson(id, body.model, reply));
      if (reply.hold) {
        req.socket.on("close", () => {
          heldClosed++;
          for (const w of heldWaiters.splice(0))
            if (heldClosed >= w.n) w.resolve();
            else heldWaiters.push(w);
        });
        return holdStream(res, id, body.model, reply);
      }
      return sse(res, streamEvents(id, body.model, reply));
    });
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;

  function pick(route: string | undefined, body: any): Reply {
    if (!route) return { blocks: [{ type: "text", text: "ok" }], stop: "end_turn", usage: { input: 5, output: 1 } };
    const [name, sub] = route.split("/");
    const scenario = scenarios.get(name);
    const list = (sub ? scenario?.sub : scenario?.main) ?? [];
    const reply = list[Math.min(turnIndex(body), list.length - 1)];
    return reply ?? { error: { status: 400, type: "invalid_request_error", message: `no script for ${route}` } };
  }

  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    script: (name, scenario) => scenarios.set(name, scenario),
    waitForHeldClosed: (n = 1) =>
      heldClosed >= n ? Promise.resolve() : new Promise<void>((resolve) => heldWaiters.push({ n, resolve })),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/**
 * The subagent tool is `Agent` in recent CLIs and `Task` in older ones: a `tool_use` named `AGENT_TOOL` takes the
 * name the request offers.
 */
export const AGENT_TOOL = "$agent";

function resolveNames(turn: Turn, body: any): Turn {
  if (!turn.blocks.some((b) => b.type === "tool_use" && b.name === AGENT_TOOL)) return turn;
  const offered = new Set((body.tools ?? []).map((t: any) => t.name));
  const name = offered.has("Agent") ? "Agent" : "Task";
  return {
    ...turn,
    blocks: turn.blocks.map((b) => (b.type === "tool_use" && b.name === AGENT_TOOL ? { ...b, name } : b)),
  };
}

/** The scenario marker in the conversation's first user message. */
function routeOf(body: any): string | undefined {
  const first = body.messages?.[0];
  if (!first) return undefined;
  const text = typeof first.content === "string" ? first.content : JSON.stringify(first.content);
  return MARKER.exec(text)?.[1];
}

const turnIndex = (body: any) => (body.messages ?? []).filter((m: any) => m.role === "assistant").length;
const usageOf = (turn: Turn) => turn.usage ?? DEFAULT_USAGE;

function json(res: http.ServerResponse, status: number, value: unknown): void {
  const payload = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "request-id": "req_fake" });
  res.end(payload);
}

function apiUsage(u: Usage, output: number) {
  return {
    input_tokens: u.input,
    cache_creation_input_tokens: u.cacheWrite ?? 0,
    cache_read_input_tokens: u.cacheRead ?? 0,
    output_tokens: output,
  };
}

function stopOf(turn: Turn): string {
  return turn.stop ?? (turn.blocks.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn");
}

function messageJson(id: string, model: string, turn: Turn) {
  const content = turn.blocks.map((b) => (b.type === "thinking" ? { ...b, signature: "sig" } : b));
  const usage = apiUsage(usageOf(turn), usageOf(turn).output);
  return {
    id,
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: stopOf(turn),
    stop_sequence: null,
    usage,
  };
}

type Event = [string, Record<string, unknown>];

function startEvents(id: string, model: string, u: Usage): Event[] {
  const message = {
    id,
    type: "message",
    role: "assistant",
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
  };
  return [
    ["message_start", { message: { ...message, usage: apiUsage(u, 1) } }],
    ["ping", {}],
  ];
}

function blockEvents(b: Block, index: number): Event[] {
  const half = (s: string) => [s.slice(0, Math.ceil(s.length / 2)), s.slice(Math.ceil(s.length / 2))];
  const out: Event[] = [];
  if (b.type === "text") {
    out.push(["content_block_start", { index, content_block: { type: "text", text: "" } }]);
    for (const part of half(b.text))
      out.push(["content_block_delta", { index, delta: { type: "text_delta", text: part } }]);
  } else if (b.type === "thinking") {
    out.push(["content_block_start", { index, content_block: { type: "thinking", thinking: "", signature: "" } }]);
    out.push(["content_block_delta", { index, delta: { type: "thinking_delta", thinking: b.thinking } }]);
    out.push(["content_block_delta", { index, delta: { type: "signature_delta", signature: "sig" } }]);
  } else {
    out.push([
      "content_block_start",
      { index, content_block: { type: "tool_use", id: b.id, name: b.name, input: {} } },
    ]);
    for (const part of half(JSON.stringify(b.input)))
      out.push(["content_block_delta", { index, delta: { type: "input_json_delta", partial_json: part } }]);
  }
  out.push(["content_block_stop", { index }]);
  return out;
}

function streamEvents(id: string, model: string, turn: Turn): Event[] {
  const u = usageOf(turn);
  return [
    ...startEvents(id, model, u),
    ...turn.blocks.flatMap(blockEvents),
    [
      "message_delta",
      { delta: { stop_reason: stopOf(turn), stop_sequence: null }, usage: { output_tokens: u.output } },
    ],
    ["message_stop", {}],
  ];
}

function writeEvents(res: http.ServerResponse, events: Event[]): void {
  for (const [type, data] of events) res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
}

function sse(res: http.ServerResponse, events: Event[]): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "request-id": "req_fake" });
  writeEvents(res, events);
  res.end();
}

/** A stream that ends (cleanly) right after `message_start`: the CLI retries the turn as a non-streamed request. */
function cutStream(res: http.ServerResponse, model: string, u: Usage): void {
  res.writeHead(200, { "content-type": "text/event-stream", "request-id": "req_fake" });
  writeEvents(res, startEvents("msg_fake_cut", model, u));
  res.end();
}

/** The first block, then nothing until the client goes away. */
function holdStream(res: http.ServerResponse, id: string, model: string, turn: Turn): void {
  res.writeHead(200, { "content-type": "text/event-stream", "request-id": "req_fake" });
  writeEvents(res, [...startEvents(id, model, usageOf(turn)), ...blockEvents(turn.blocks[0], 0)]);
}
