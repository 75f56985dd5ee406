/**
 * A local fake Mistral HTTP server (node:http, 127.0.0.1) for the real `@mistralai/mistralai` client, on Mistral's
 * wire format (snake_case JSON; SSE `data:` events ending with `data: [DONE]`, usage in the last chunk): chat
 * completions, agents completions, FIM and embeddings, tool calls, usage with cached tokens, thinking chunks,
 * scripted HTTP errors (the client's own retries) and streams that hang or drop mid-way.
 *
 * Behaviour is chosen by the request (so concurrent calls cannot interfere):
 * - tools sent and the last message is not a tool result → a tool call (`get_weather`);
 * - `response_format.type === "json_schema"` → JSON content; model `magistral-fake` → thinking + text chunks;
 * - model `mistral-hang` → a stream that sends 3 events then waits until the client goes away; model `mistral-drop`
 *   → a stream that sends 2 events then cuts the connection; model `mistral-invalid` → 422 with `detail`;
 * - header `x-fake-fail: <status>x<count>` → the first <count> attempts of request id `x-fake-id` fail with <status>
 *   (`<count>` `*`: every attempt), with a Mistral error body and a `mistral-correlation-id` header.
 * - the user message `echo:<text>` → the answer `<text>` (the concurrency tests tell their calls apart by it).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { preciseDelay, scriptedFailure } from "@pandaprobe/testing";

/** Usage as Mistral sends it: cached tokens are part of `prompt_tokens`. */
export const WIRE_USAGE = {
  prompt_tokens: 12,
  completion_tokens: 7,
  total_tokens: 19,
  prompt_tokens_details: { cached_tokens: 4 },
};
/** The core usage shape `WIRE_USAGE` normalises to. */
export const EXPECTED_USAGE = { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19, cache_read_tokens: 4 };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The body exactly as received. */
  raw: string;
  body: any;
}

export interface FakeMistral {
  serverURL: string;
  requests: RecordedRequest[];
  /** Resolves when a hanging stream's client has gone away. */
  waitForHangClosed(): Promise<void>;
  close(): Promise<void>;
}

type Body = any;
type Write = (payload: unknown) => Promise<void>;

const CREATED = 1700000000;

/** `latencyMs`: pause before answering (a remote API's latency; the benchmark uses it). */
export async function startFakeMistral({ latencyMs = 0 }: { latencyMs?: number } = {}): Promise<FakeMistral> {
  const requests: RecordedRequest[] = [];
  const failures = new Map<string, number>();
  let hangClosed: (() => void)[] = [];
  const sockets = new Set<import("node:net").Socket>();

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
    requests.push({ method: req.method ?? "", path, headers: req.headers, raw, body });
    if (latencyMs) await preciseDelay(latencyMs);
    const fail = scriptedFailure(req.headers, failures);
    if (fail) {
      res.writeHead(fail, { "content-type": "application/json", "mistral-correlation-id": "corr-fail" });
      const type = fail === 429 ? "rate_limited" : "internal_server_error";
      return res.end(
        JSON.stringify({ object: "error", message: `fake ${fail}`, type, param: null, code: String(fail * 10) }),
      );
    }
    const sendJson = (obj: unknown, status = 200) => {
      res.writeHead(status, { "content-type": "application/json", "mistral-correlation-id": "corr-json" });
      res.end(JSON.stringify(obj));
    };
    if (body.model === "mistral-invalid") {
      return sendJson({ detail: [{ loc: ["body", "messages"], msg: "field required", type: "missing" }] }, 422);
    }
    let sent = 0;
    const write: Write = async (payload) => {
      if (sent === 3 && body.model === "mistral-hang") {
        await new Promise<void>((resolve) => res.once("close", resolve));
        for (const r of hangClosed) r();
        hangClosed = [];
        throw new Error("client gone");
      }
      if (sent === 2 && body.model === "mistral-drop") {
        res.socket?.destroy();
        throw new Error("dropped");
      }
      sent++;
      const text = `data: ${typeof payload === "string" ? payload : JSON.stringify(payload)}\n\n`;
      await new Promise<void>((resolve) => res.write(text, () => resolve()));
    };
    try {
      const endpoint = ENDPOINTS[path.replace(/\?.*$/, "")];
      if (req.method !== "POST" || !endpoint) {
        return sendJson({ object: "error", message: `no fake for ${req.method} ${path}`, type: "not_found" }, 404);
      }
      if (endpoint === "embeddings") return sendJson(embeddings(body));
      const answer = reply(endpoint, body);
      if (!body.stream) return sendJson(completion(body, answer));
      res.writeHead(200, { "content-type": "text/event-stream", "mistral-correlation-id": "corr-sse" });
      await streamCompletion(body, answer, write);
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
  return {
    serverURL: `http://127.0.0.1:${port}`,
    requests,
    waitForHangClosed: () => new Promise<void>((r) => hangClosed.push(r)),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const ENDPOINTS: Record<string, "chat" | "agents" | "fim" | "embeddings"> = {
  "/v1/chat/completions": "chat",
  "/v1/agents/completions": "agents",
  "/v1/fim/completions": "fim",
  "/v1/embeddings": "embeddings",
};

interface Answer {
  /** The message content: a string, or Mistral's content chunks (thinking models). */
  content: string | Array<Record<string, unknown>>;
  toolCalls?: Array<Record<string, unknown>>;
  finish: string;
}

function reply(endpoint: string, body: Body): Answer {
  if (endpoint === "fim") return { content: `return a + b${body.suffix ? "" : "\n"}`, finish: "stop" };
  const last = Array.isArray(body.messages) ? body.messages.at(-1) : undefined;
  if (Array.isArray(body.tools) && body.tools.length > 0 && last?.role !== "tool") {
    const name = body.tools[0]?.function?.name ?? "tool";
    const call = { id: "call_abc", type: "function", function: { name, arguments: '{"city":"Paris"}' }, index: 0 };
    return { content: "", toolCalls: [call], finish: "tool_calls" };
  }
  if (body.response_format?.type === "json_schema") return { content: '{"city":"Paris","temp":21}', finish: "stop" };
  if (body.model === "magistral-fake") {
    return {
      content: [
        { type: "thinking", thinking: [{ type: "text", text: "Considering the weather." }] },
        { type: "text", text: "It is sunny." },
      ],
      finish: "stop",
    };
  }
  const echo = typeof last?.content === "string" && last.content.startsWith("echo:") ? last.content.slice(5) : "";
  return { content: echo || "It is sunny.", finish: "stop" };
}

const modelOf = (body: Body) => (typeof body.model === "string" ? `${body.model}-2507` : "mistral-medium-2505");

function completion(body: Body, answer: Answer) {
  return {
    id: "cmpl-fake1",
    object: "chat.completion",
    created: CREATED,
    model: modelOf(body),
    usage: WIRE_USAGE,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: answer.content, tool_calls: answer.toolCalls ?? null, prefix: false },
        finish_reason: answer.finish,
      },
    ],
  };
}

/** Mistral's event sequence: a role chunk, content deltas, the last chunk with the finish reason and usage, `[DONE]`. */
async function streamCompletion(body: Body, answer: Answer, write: Write) {
  const base = { id: "cmpl-fake1", object: "chat.completion.chunk", created: CREATED, model: modelOf(body) };
  const chunk = (delta: unknown, finish: string | null = null, usage?: unknown) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...(usage ? { usage } : {}),
  });
  await write(chunk({ role: "assistant", content: "" }));
  if (answer.toolCalls) {
    await write(chunk({ tool_calls: answer.toolCalls }));
  } else if (typeof answer.content === "string") {
    const words = answer.content.split(/(?<= )/);
    for (const part of words.length >= 3 ? words : [answer.content, "", ""]) await write(chunk({ content: part }));
  } else {
    for (const part of answer.content) await write(chunk({ content: [part] }));
  }
  await write(chunk({ content: "" }, answer.finish, WIRE_USAGE));
  await write("[DONE]");
}

function embeddings(body: Body) {
  const inputs = Array.isArray(body.inputs ?? body.input) ? (body.inputs ?? body.input) : [body.inputs ?? body.input];
  return {
    id: "emb-fake1",
    object: "list",
    model: body.model,
    usage: { prompt_tokens: 5, completion_tokens: 0, total_tokens: 5 },
    data: inputs.map((_: unknown, index: number) => ({ object: "embedding", index, embedding: [0.1, 0.2, 0.3] })),
  };
}
