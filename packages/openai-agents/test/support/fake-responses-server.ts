/**
 * A local fake OpenAI Responses API (node:http, 127.0.0.1) for the real `@openai/agents` SDK: `POST /v1/responses`
 * as JSON or as SSE in the Responses event sequence (`response.created`, `response.in_progress`,
 * `response.output_item.added`, `response.content_part.added`, `response.output_text.delta`..., `.done` events,
 * `response.completed`), function calls with streamed arguments, usage with cached and reasoning tokens, and HTTP
 * errors. It also stands in for OpenAI's traces ingest (`POST /v1/traces/ingest`), so the SDK's own exporter can be
 * pointed here and checked to keep working beside the PandaProbe processor.
 *
 * Behaviour is chosen by the request alone (concurrent runs cannot interfere), by the model name:
 * - `fake-tool`: calls the first function tool with `{"city":"Paris"}` unless the input holds a call of it already,
 *   then answers `It is sunny in Paris.`;
 * - `fake-handoff`: calls the first `transfer_to_*` tool (a handoff), unless the input holds that call already;
 * - `fake-echo`: answers `echo: <the last user text>` (each concurrent run's answer names its own input);
 * - `fake-error`: answers HTTP 400 `invalid_request_error` (the client does not retry a 400);
 * - anything else: answers `It is sunny.`
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** The usage every response reports (OpenAI counts cached tokens inside input_tokens, reasoning inside output_tokens). */
export const USAGE = {
  input_tokens: 20,
  input_tokens_details: { cached_tokens: 5 },
  output_tokens: 8,
  output_tokens_details: { reasoning_tokens: 2 },
  total_tokens: 28,
};
/** `USAGE` in core's shape. */
export const EXPECTED_USAGE = {
  prompt_tokens: 20,
  completion_tokens: 8,
  total_tokens: 28,
  reasoning_tokens: 2,
  cache_read_tokens: 5,
};
export const WEATHER_ARGS = '{"city":"Paris"}';

export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

export interface FakeResponses {
  /** The OpenAI base URL (`.../v1`). */
  baseURL: string;
  /** The traces ingest URL for the SDK's `OpenAITracingExporter({ endpoint })`. */
  ingestURL: string;
  /** Model requests received (`/v1/responses`). */
  requests: RecordedRequest[];
  /** Bodies received on the traces ingest endpoint (the SDK's own export). */
  ingested: any[];
  /** When set, answers to requests that already carry a tool's result wait this long (a model that takes its time). */
  latencyAfterToolMs: number;
  close(): Promise<void>;
}

type Body = any;
type Item = Record<string, unknown>;

const CREATED = 1_760_000_000;
let seq = 0;

export async function startFakeResponses(): Promise<FakeResponses> {
  const requests: RecordedRequest[] = [];
  const ingested: any[] = [];
  const sockets = new Set<Socket>();
  const fake = { latencyAfterToolMs: 0 };
  const server = http.createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    let body: Body = {};
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      body = { _raw: raw };
    }
    const path = req.url ?? "";
    const json = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json", "x-request-id": `req_${++seq}` });
      res.end(JSON.stringify(payload));
    };
    if (req.method === "POST" && path.endsWith("/traces/ingest")) {
      ingested.push(body);
      return json(200, {});
    }
    if (req.method === "POST" && path.endsWith("/chat/completions")) {
      requests.push({ path, headers: req.headers, body });
      return json(200, chatCompletion(body));
    }
    if (req.method !== "POST" || !path.endsWith("/responses")) {
      return json(404, { error: { message: `no fake for ${req.method} ${path}`, type: "invalid_request_error" } });
    }
    requests.push({ path, headers: req.headers, body });
    if (fake.latencyAfterToolMs > 0 && inputItems(body).some((i) => i.type === "function_call_output")) {
      await new Promise((resolve) => setTimeout(resolve, fake.latencyAfterToolMs));
    }
    if (!body.stream || body.model === "fake-error") {
      const { status, payload } = respond(body);
      return json(status, payload);
    }
    const output = answer(body);
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "x-request-id": "req_sse" });
    for (const event of events(body, output)) res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    res.end();
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    baseURL: `http://127.0.0.1:${port}/v1`,
    ingestURL: `http://127.0.0.1:${port}/v1/traces/ingest`,
    requests,
    ingested,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}

/** The JSON answer to a non-streamed `POST /v1/responses` body (also for an in-memory `fetch`, as the benchmark uses). */
export function respond(body: Body): { status: number; payload: unknown } {
  if (body.model === "fake-error") {
    return {
      status: 400,
      payload: {
        error: { message: "fake bad request", type: "invalid_request_error", param: null, code: "fake_code" },
      },
    };
  }
  return { status: 200, payload: response(body, "completed", answer(body)) };
}

const inputItems = (body: Body): Item[] =>
  Array.isArray(body.input) ? body.input : [{ role: "user", content: String(body.input ?? "") }];

function lastUserText(body: Body): string {
  const user = inputItems(body)
    .filter((i) => i.role === "user")
    .at(-1);
  const content = user?.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p: Item) => String(p.text ?? "")).join("");
  return "";
}

/** The output items of one answer, chosen by the model name and the conversation so far. */
function answer(body: Body): Item[] {
  const tools: Item[] = Array.isArray(body.tools) ? body.tools : [];
  const called = (name: unknown) => inputItems(body).some((i) => i.type === "function_call" && i.name === name);
  const n = ++seq;
  const text = (t: string): Item => ({
    id: `msg_${n}`,
    type: "message",
    status: "completed",
    role: "assistant",
    content: [{ type: "output_text", text: t, annotations: [] }],
  });
  const call = (name: string, args: string): Item => ({
    id: `fc_${n}`,
    type: "function_call",
    status: "completed",
    call_id: `call_${n}`,
    name,
    arguments: args,
  });
  if (body.model === "fake-tool") {
    const tool = tools.find((t) => t.type === "function");
    return tool && !called(tool.name) ? [call(String(tool.name), WEATHER_ARGS)] : [text("It is sunny in Paris.")];
  }
  if (body.model === "fake-handoff") {
    const handoff = tools.find((t) => String(t.name).startsWith("transfer_to_"));
    return handoff && !called(handoff.name) ? [call(String(handoff.name), "{}")] : [text("Handed off.")];
  }
  if (body.model === "fake-echo") return [text(`echo: ${lastUserText(body)}`)];
  return [text("It is sunny.")];
}

/** A Chat Completions answer with the same behaviour (tool call until a tool result is in the messages). */
function chatCompletion(body: Body) {
  const messages: Item[] = Array.isArray(body.messages) ? body.messages : [];
  const tool = (Array.isArray(body.tools) ? body.tools : []).find((t: Item) => t.type === "function") as
    | Item
    | undefined;
  const called = messages.some((m) => m.role === "tool");
  const n = ++seq;
  const message =
    body.model === "fake-tool" && tool && !called
      ? {
          role: "assistant",
          content: null,
          refusal: null,
          tool_calls: [
            {
              id: `call_${n}`,
              type: "function",
              function: { name: (tool.function as Item).name, arguments: WEATHER_ARGS },
            },
          ],
        }
      : {
          role: "assistant",
          content: body.model === "fake-tool" ? "It is sunny in Paris." : "It is sunny.",
          refusal: null,
        };
  return {
    id: `chatcmpl_${n}`,
    object: "chat.completion",
    created: CREATED,
    model: `${body.model}-2025-01-01`,
    choices: [{ index: 0, message, logprobs: null, finish_reason: "tool_calls" in message ? "tool_calls" : "stop" }],
    usage: {
      prompt_tokens: 20,
      completion_tokens: 8,
      total_tokens: 28,
      prompt_tokens_details: { cached_tokens: 5 },
      completion_tokens_details: { reasoning_tokens: 2 },
    },
  };
}

function response(body: Body, status: string, output: Item[] | undefined) {
  return {
    id: `resp_${++seq}`,
    object: "response",
    created_at: CREATED,
    status,
    model: `${body.model}-2025-01-01`,
    output: output ?? [],
    parallel_tool_calls: true,
    tool_choice: "auto",
    tools: body.tools ?? [],
    temperature: body.temperature ?? 1,
    top_p: body.top_p ?? 1,
    instructions: body.instructions ?? null,
    metadata: {},
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    text: { format: { type: "text" } },
    truncation: "disabled",
    usage: output ? USAGE : null,
    error: null,
    incomplete_details: null,
    store: true,
  };
}

/** The SSE events of one answer, in the Responses API's order. */
function events(body: Body, output: Item[]): Item[] {
  const out: Item[] = [];
  let n = 0;
  const ev = (type: string, rest: Item) => out.push({ type, sequence_number: n++, ...rest });
  const started = response(body, "in_progress", undefined);
  ev("response.created", { response: started });
  ev("response.in_progress", { response: started });
  output.forEach((item, index) => {
    if (item.type === "function_call") {
      ev("response.output_item.added", {
        output_index: index,
        item: { ...item, status: "in_progress", arguments: "" },
      });
      const args = String(item.arguments);
      const half = Math.ceil(args.length / 2);
      for (const delta of [args.slice(0, half), args.slice(half)]) {
        ev("response.function_call_arguments.delta", { item_id: item.id, output_index: index, delta });
      }
      ev("response.function_call_arguments.done", { item_id: item.id, output_index: index, arguments: args });
    } else {
      const part = (item.content as Item[])[0];
      const text = String(part.text);
      ev("response.output_item.added", { output_index: index, item: { ...item, status: "in_progress", content: [] } });
      ev("response.content_part.added", {
        item_id: item.id,
        output_index: index,
        content_index: 0,
        part: { type: "output_text", text: "", annotations: [] },
      });
      for (const delta of text.split(/(?<= )/)) {
        ev("response.output_text.delta", { item_id: item.id, output_index: index, content_index: 0, delta });
      }
      ev("response.output_text.done", { item_id: item.id, output_index: index, content_index: 0, text });
      ev("response.content_part.done", { item_id: item.id, output_index: index, content_index: 0, part });
    }
    ev("response.output_item.done", { output_index: index, item });
  });
  ev("response.completed", { response: { ...response(body, "completed", output), id: started.id } });
  return out;
}
