/**
 * A local fake OpenAI HTTP server (node:http, 127.0.0.1) for the real `openai` client: JSON and SSE for
 * chat completions, responses and embeddings, tool calls, usage, refusals, reasoning summaries,
 * scripted HTTP errors (the client's own retries), and streams that hang or drop mid-way.
 *
 * Behaviour is chosen by the request (so concurrent tests cannot interfere):
 * - tools sent and the last message is not a tool result → a tool call (`get_weather`);
 * - model `gpt-refuse` → a refusal; model `gpt-hang` → a stream that sends 2 events then waits until
 *   the client goes away; model `gpt-drop` → a stream that sends 2 events then cuts the connection;
 *   model `gpt-error-event` → a stream that sends an SSE `error` event;
 * - header `x-fake-fail: <status>x<count>` → the first <count> attempts of that request id
 *   (`x-fake-id`) fail with <status>, with `retry-after-ms: 1` so the client retries at once.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { preciseDelay, scriptedFailure } from "@pandaprobe/testing";

export const USAGE_CHAT = {
  prompt_tokens: 12,
  completion_tokens: 7,
  total_tokens: 19,
  prompt_tokens_details: { cached_tokens: 4, audio_tokens: 0 },
  completion_tokens_details: {
    reasoning_tokens: 3,
    audio_tokens: 0,
    accepted_prediction_tokens: 0,
    rejected_prediction_tokens: 0,
  },
};
export const USAGE_RESPONSES = {
  input_tokens: 12,
  input_tokens_details: { cached_tokens: 4 },
  output_tokens: 7,
  output_tokens_details: { reasoning_tokens: 3 },
  total_tokens: 19,
};
/** The core usage shape both of the above normalise to. */
export const EXPECTED_USAGE = {
  prompt_tokens: 12,
  completion_tokens: 7,
  total_tokens: 19,
  reasoning_tokens: 3,
  cache_read_tokens: 4,
};

export interface RecordedOpenAIRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

export interface FakeOpenAI {
  baseURL: string;
  requests: RecordedOpenAIRequest[];
  /** Resolves when a hanging stream's client has gone away (aborted). */
  waitForHangClosed(): Promise<void>;
  close(): Promise<void>;
}

type Body = any;
type Write = (payload: unknown, event?: string) => Promise<void>;

const CREATED = 1700000000;

/**
 * `delayMs`: pause after each SSE event. `latencyMs`: pause before answering (a remote API's
 * latency; the benchmark uses it so deferred work runs while the client waits, as it would in use).
 */
export async function startFakeOpenAI({
  delayMs = 0,
  latencyMs = 0,
}: {
  delayMs?: number;
  latencyMs?: number;
} = {}): Promise<FakeOpenAI> {
  const requests: RecordedOpenAIRequest[] = [];
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
    requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
    if (latencyMs) await preciseDelay(latencyMs);
    const fail = scriptedFailure(req.headers, failures);
    if (fail) {
      res.writeHead(fail, { "content-type": "application/json", "retry-after-ms": "1", "x-request-id": "req_fail" });
      const type = fail === 429 ? "rate_limit_exceeded" : "server_error";
      return res.end(JSON.stringify({ error: { message: `fake ${fail}`, type, code: type } }));
    }
    const sendJson = (obj: unknown, status = 200) => {
      res.writeHead(status, { "content-type": "application/json", "x-request-id": "req_fake_123" });
      res.end(JSON.stringify(obj));
    };
    let sent = 0;
    const model: string = body.model ?? "gpt-fake";
    const write: Write = async (payload, event) => {
      if (sent === 2 && model === "gpt-hang") {
        await new Promise<void>((resolve) => res.once("close", resolve));
        hangClosed.forEach((r) => r());
        hangClosed = [];
        throw new Error("client gone");
      }
      if (sent === 2 && model === "gpt-drop") {
        res.socket?.destroy();
        throw new Error("dropped");
      }
      sent++;
      const text =
        (event ? `event: ${event}\n` : "") +
        `data: ${typeof payload === "string" ? payload : JSON.stringify(payload)}\n\n`;
      await new Promise<void>((resolve) => res.write(text, () => resolve()));
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    };
    const startSse = () =>
      res.writeHead(200, {
        "content-type": "text/event-stream",
        "cache-control": "no-cache",
        "x-request-id": "req_fake_sse",
      });
    try {
      if (req.method === "POST" && req.url?.endsWith("/chat/completions")) {
        if (!body.stream) return sendJson(chatCompletion(body));
        startSse();
        await streamChat(body, write);
        return res.end();
      }
      if (req.method === "POST" && req.url?.includes("/responses")) {
        if (!body.stream) return sendJson(response(body, "completed", true));
        startSse();
        await streamResponse(body, write);
        return res.end();
      }
      if (req.method === "POST" && req.url?.endsWith("/embeddings")) return sendJson(embeddings(body));
      sendJson({ error: { message: `no fake for ${req.method} ${req.url}`, type: "invalid_request_error" } }, 404);
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
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    waitForHangClosed: () => new Promise<void>((r) => hangClosed.push(r)),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const wantsChatTool = (body: Body) =>
  Array.isArray(body.tools) && body.tools.length > 0 && body.messages?.at(-1)?.role !== "tool";

function chatCompletion(body: Body) {
  const name = body.tools?.[0]?.function?.name;
  const message = wantsChatTool(body)
    ? {
        role: "assistant",
        content: null,
        refusal: null,
        tool_calls: [{ id: "call_abc", type: "function", function: { name, arguments: '{"city":"Paris"}' } }],
      }
    : body.model === "gpt-refuse"
      ? { role: "assistant", content: null, refusal: "I can't help with that." }
      : body.response_format?.type === "json_schema"
        ? { role: "assistant", content: '{"city":"Paris","temp":21}', refusal: null }
        : { role: "assistant", content: "It is sunny.", refusal: null };
  return {
    id: "chatcmpl-fake1",
    object: "chat.completion",
    created: CREATED,
    model: `${body.model}-2024-08-06`,
    system_fingerprint: "fp_fake",
    choices: [{ index: 0, message, logprobs: null, finish_reason: message.tool_calls ? "tool_calls" : "stop" }],
    usage: USAGE_CHAT,
  };
}

async function streamChat(body: Body, write: Write) {
  const tool = wantsChatTool(body);
  const base = {
    id: "chatcmpl-fake1",
    object: "chat.completion.chunk",
    created: CREATED,
    model: `${body.model}-2024-08-06`,
    system_fingerprint: "fp_fake",
  };
  const includeUsage = body.stream_options?.include_usage === true;
  const u = includeUsage ? { usage: null } : {};
  const chunk = (delta: unknown, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...u,
  });
  if (body.model === "gpt-error-event") {
    await write(chunk({ role: "assistant", content: "" }));
    await write({ error: { message: "fake stream error", type: "server_error" } }, "error");
    return;
  }
  await write(chunk({ role: "assistant", content: tool ? null : "", refusal: null }));
  if (tool) {
    const name = body.tools[0].function.name;
    await write(
      chunk({ tool_calls: [{ index: 0, id: "call_abc", type: "function", function: { name, arguments: "" } }] }),
    );
    for (const part of ['{"ci', 'ty":"Pa', 'ris"}'])
      await write(chunk({ tool_calls: [{ index: 0, function: { arguments: part } }] }));
  } else if (body.model === "gpt-refuse") {
    for (const part of ["I can't ", "help with that."]) await write(chunk({ refusal: part }));
  } else {
    for (const part of ["It ", "is ", "sunny."]) await write(chunk({ content: part }));
  }
  await write(chunk({}, tool ? "tool_calls" : "stop"));
  if (includeUsage) await write({ ...base, choices: [], usage: USAGE_CHAT });
  await write("[DONE]");
}

const wantsResponsesTool = (body: Body) =>
  Array.isArray(body.tools) &&
  body.tools.length > 0 &&
  !(Array.isArray(body.input) && body.input.some((i: Body) => i?.type === "function_call_output"));

function responseItems(body: Body) {
  const text = body.text?.format?.type === "json_schema" ? '{"city":"Paris","temp":21}' : "It is sunny.";
  const textItem = {
    id: "msg_fake1",
    type: "message",
    status: "completed",
    role: "assistant",
    content: [{ type: "output_text", text, annotations: [] }],
  };
  const fnItem = {
    id: "fc_fake1",
    type: "function_call",
    status: "completed",
    call_id: "call_abc",
    name: body.tools?.[0]?.name ?? "",
    arguments: '{"city":"Paris"}',
  };
  const searchItem = {
    id: "ws_fake1",
    type: "web_search_call",
    status: "completed",
    action: { type: "search", query: "weather Paris" },
  };
  const reasoningItem = {
    id: "rs_fake1",
    type: "reasoning",
    summary: [{ type: "summary_text", text: "Thinking about weather." }],
  };
  return { textItem, fnItem, searchItem, reasoningItem, tool: wantsResponsesTool(body) };
}

function response(body: Body, status: string, withOutput: boolean) {
  const { textItem, fnItem, searchItem, reasoningItem, tool } = responseItems(body);
  const output = [reasoningItem, ...(tool ? [searchItem, fnItem] : [textItem])];
  return {
    id: "resp_fake1",
    object: "response",
    created_at: CREATED,
    status,
    model: `${body.model}-2025-01-01`,
    output: withOutput ? output : [],
    parallel_tool_calls: true,
    tool_choice: "auto",
    tools: body.tools ?? [],
    temperature: 1,
    top_p: 1,
    instructions: body.instructions ?? null,
    metadata: {},
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    text: { format: { type: "text" } },
    truncation: "disabled",
    usage: withOutput ? USAGE_RESPONSES : null,
    error: null,
    incomplete_details: null,
    store: true,
  };
}

async function streamResponse(body: Body, write: Write) {
  const { textItem, fnItem, searchItem, reasoningItem, tool } = responseItems(body);
  let seq = 0;
  const ev = (type: string, rest: object) => write({ type, sequence_number: seq++, ...rest }, type);
  await ev("response.created", { response: response(body, "in_progress", false) });
  await ev("response.in_progress", { response: response(body, "in_progress", false) });
  await ev("response.output_item.added", { output_index: 0, item: { ...reasoningItem, summary: [] } });
  await ev("response.output_item.done", { output_index: 0, item: reasoningItem });
  if (tool) {
    await ev("response.output_item.added", { output_index: 1, item: { ...searchItem, status: "in_progress" } });
    await ev("response.output_item.done", { output_index: 1, item: searchItem });
    await ev("response.output_item.added", {
      output_index: 2,
      item: { ...fnItem, status: "in_progress", arguments: "" },
    });
    for (const d of ['{"city"', ':"Paris"}'])
      await ev("response.function_call_arguments.delta", { item_id: fnItem.id, output_index: 2, delta: d });
    await ev("response.function_call_arguments.done", {
      item_id: fnItem.id,
      output_index: 2,
      arguments: fnItem.arguments,
    });
    await ev("response.output_item.done", { output_index: 2, item: fnItem });
  } else {
    await ev("response.output_item.added", {
      output_index: 1,
      item: { ...textItem, status: "in_progress", content: [] },
    });
    await ev("response.content_part.added", {
      item_id: textItem.id,
      output_index: 1,
      content_index: 0,
      part: { type: "output_text", text: "", annotations: [] },
    });
    for (const d of ["It ", "is ", "sunny."])
      await ev("response.output_text.delta", { item_id: textItem.id, output_index: 1, content_index: 0, delta: d });
    await ev("response.output_text.done", {
      item_id: textItem.id,
      output_index: 1,
      content_index: 0,
      text: textItem.content[0].text,
    });
    await ev("response.content_part.done", {
      item_id: textItem.id,
      output_index: 1,
      content_index: 0,
      part: textItem.content[0],
    });
    await ev("response.output_item.done", { output_index: 1, item: textItem });
  }
  await ev("response.completed", { response: response(body, "completed", true) });
}

function embeddings(body: Body) {
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const vec = [0.1, 0.2, 0.3];
  const embedding =
    body.encoding_format === "base64" ? Buffer.from(new Float32Array(vec).buffer).toString("base64") : vec;
  return {
    object: "list",
    model: body.model,
    data: inputs.map((_: unknown, index: number) => ({ object: "embedding", index, embedding })),
    usage: { prompt_tokens: 5, total_tokens: 5 },
  };
}
