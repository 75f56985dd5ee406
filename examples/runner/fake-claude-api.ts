/**
 * A tiny in-process stand-in for the Anthropic Messages API (node:http on 127.0.0.1), so the example runs without
 * credentials. The Claude Agent SDK's CLI reaches it through `ANTHROPIC_BASE_URL` and gets streamed (SSE) answers:
 * the agent checks the weather (an in-process MCP tool), delegates reading the notes to a subagent, then answers.
 * Claude Code's own helper requests get a short answer.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

type Block =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

/** What the model "says" at each step of a conversation: by who asks and how many turns it already had. */
function reply(body: any, notesPath: string): Block[] {
  const first = JSON.stringify(body.messages?.[0]?.content ?? "");
  const turns = (body.messages ?? []).filter((m: any) => m.role === "assistant").length;
  const agentTool = (body.tools ?? []).some((t: any) => t.name === "Agent") ? "Agent" : "Task";
  if (first.includes("SUBAGENT:")) {
    return turns === 0
      ? [{ type: "tool_use", id: "toolu_read", name: "Read", input: { file_path: notesPath } }]
      : [{ type: "text", text: "The notes say: pack an umbrella for Lisbon." }];
  }
  if (!first.includes("Lisbon")) return [{ type: "text", text: "ok" }];
  if (turns === 0)
    return [
      { type: "text", text: "Let me check the weather." },
      { type: "tool_use", id: "toolu_weather", name: "mcp__weather__get_weather", input: { city: "Lisbon" } },
    ];
  if (turns === 1)
    return [
      { type: "text", text: "And what do your notes say?" },
      {
        type: "tool_use",
        id: "toolu_task",
        name: agentTool,
        input: {
          description: "read the travel notes",
          prompt: "SUBAGENT: read notes.txt and report what it says.",
          subagent_type: "general-purpose",
          run_in_background: false,
        },
      },
    ];
  return [{ type: "text", text: "It is 24°C and sunny in Lisbon, but your notes say to pack an umbrella." }];
}

let ids = 0;

export async function startFakeAnthropic(notesPath: string): Promise<{ baseURL: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    if (req.method !== "POST" || !req.url?.startsWith("/v1/messages")) return void res.writeHead(404).end();
    const body = JSON.parse(raw || "{}");
    const blocks = reply(body, notesPath);
    const usage = { input_tokens: 420, cache_read_input_tokens: 1800, cache_creation_input_tokens: 0 };
    const message = { id: `msg_example_${++ids}`, type: "message", role: "assistant", model: body.model };
    const stop = blocks.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn";
    if (!body.stream) {
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(
        JSON.stringify({ ...message, content: blocks, stop_reason: stop, usage: { ...usage, output_tokens: 40 } }),
      );
    }
    res.writeHead(200, { "content-type": "text/event-stream", "request-id": "req_example" });
    const send = (type: string, data: object) =>
      res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    send("message_start", {
      message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } },
    });
    blocks.forEach((b, index) => {
      if (b.type === "text") {
        send("content_block_start", { index, content_block: { type: "text", text: "" } });
        send("content_block_delta", { index, delta: { type: "text_delta", text: b.text } });
      } else {
        send("content_block_start", { index, content_block: { ...b, input: {} } });
        send("content_block_delta", {
          index,
          delta: { type: "input_json_delta", partial_json: JSON.stringify(b.input) },
        });
      }
      send("content_block_stop", { index });
    });
    send("message_delta", { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 40 } });
    send("message_stop", {});
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
