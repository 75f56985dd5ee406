/**
 * A tiny OpenAI-compatible chat completions server on 127.0.0.1, so the examples run without an OpenAI key. Every
 * example reaches it the way an app reaches OpenAI: through `OPENAI_BASE_URL` / `OPENAI_API_KEY`, which the runner
 * sets. It behaves like a tool-calling model: offered tools and no tool result yet since the user's last message,
 * it calls each tool once (arguments filled from the tool's JSON schema: the city named in the question for a
 * string, 24 for a number); with tool results it answers from them; without tools it greets. Streaming (with
 * `stream_options.include_usage`) and plain responses, with token usage.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

type Message = { role: string; content?: unknown; tool_call_id?: string };
type Tool = {
  type?: string;
  function?: { name?: string; parameters?: { properties?: Record<string, { type?: string }> } };
};
type Body = {
  model?: string;
  messages?: Message[];
  tools?: Tool[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
};
type ToolCall = { id: string; type: "function"; function: { name: string; arguments: string } };

/** A message's text; a tool result some SDKs send as a JSON string is unquoted. */
const text = (content: unknown): string =>
  typeof content === "string"
    ? unquote(content)
    : Array.isArray(content)
      ? content.map((p) => (typeof p === "object" && p && "text" in p ? unquote(String(p.text)) : "")).join("")
      : "";

function unquote(s: string): string {
  if (!s.startsWith('"')) return s;
  try {
    const v = JSON.parse(s);
    return typeof v === "string" ? v : s;
  } catch {
    return s;
  }
}

/** What the "model" says next, given the conversation. */
function reply(body: Body): { content: string; toolCalls: ToolCall[] } {
  const messages = body.messages ?? [];
  const lastUser = messages.map((m) => m.role).lastIndexOf("user");
  const question = text(messages[lastUser]?.content);
  const toolResults = messages.slice(lastUser + 1).filter((m) => m.role === "tool");
  const tools = (body.tools ?? []).filter((t) => t.function?.name);
  if (tools.length > 0 && toolResults.length === 0) {
    const city = question.match(/\bin ([A-Z][a-zA-Z]+)/)?.[1] ?? "Lisbon";
    const toolCalls = tools.map((t, i) => {
      const args: Record<string, unknown> = {};
      for (const [name, schema] of Object.entries(t.function?.parameters?.properties ?? {}))
        args[name] = schema.type === "number" || schema.type === "integer" ? 24 : city;
      return {
        id: `call_${i + 1}`,
        type: "function" as const,
        function: { name: t.function!.name!, arguments: JSON.stringify(args) },
      };
    });
    return { content: "", toolCalls };
  }
  if (toolResults.length > 0)
    return { content: `Here is what I found: ${toolResults.map((m) => text(m.content)).join("; ")}.`, toolCalls: [] };
  return { content: "Hello! Ask me about the weather in any city.", toolCalls: [] };
}

function usageOf(body: Body, content: string, toolCalls: ToolCall[]) {
  const prompt = Math.ceil(JSON.stringify(body.messages ?? []).length / 4);
  const completion = Math.max(1, Math.ceil((content.length + JSON.stringify(toolCalls).length / 2) / 4));
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export interface FakeOpenAI {
  /** `OPENAI_BASE_URL` for the clients (ends in `/v1`). */
  baseURL: string;
  close(): Promise<void>;
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  let calls = 0;
  const server = http.createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `the example's fake OpenAI has no ${req.method} ${req.url}` } }));
      return;
    }
    const body = JSON.parse(raw || "{}") as Body;
    const { content, toolCalls } = reply(body);
    const usage = usageOf(body, content, toolCalls);
    const id = `chatcmpl-example-${++calls}`;
    const base = { id, created: 1_767_225_600, model: `${body.model ?? "gpt-4o-mini"}-2024-07-18` };
    const finish = toolCalls.length ? "tool_calls" : "stop";
    const headers = { "x-request-id": `req_example_${calls}` };
    if (!body.stream) {
      res.writeHead(200, { ...headers, "content-type": "application/json" });
      const message = {
        role: "assistant",
        content: toolCalls.length ? null : content,
        ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
      };
      res.end(
        JSON.stringify({
          ...base,
          object: "chat.completion",
          choices: [{ index: 0, message, finish_reason: finish }],
          usage,
        }),
      );
      return;
    }
    res.writeHead(200, { ...headers, "content-type": "text/event-stream" });
    const send = (delta: object, finishReason: string | null = null) =>
      res.write(
        `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`,
      );
    send({ role: "assistant", content: toolCalls.length ? null : "" });
    toolCalls.forEach((call, index) => {
      send({
        tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }],
      });
      send({ tool_calls: [{ index, function: { arguments: call.function.arguments } }] });
    });
    for (const word of content.match(/\S+\s*/g) ?? []) send({ content: word });
    send({}, finish);
    if (body.stream_options?.include_usage)
      res.write(`data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [], usage })}\n\n`);
    res.end("data: [DONE]\n\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
