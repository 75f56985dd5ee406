/**
 * A tiny in-process stand-in for the OpenAI Responses API (node:http on 127.0.0.1), so the example runs without
 * credentials: the triage model hands off (`transfer_to_*`), the weather model calls `get_weather` once, then answers.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

type Item = Record<string, any>;

export async function startFakeResponses(): Promise<{ baseURL: string; close(): Promise<void> }> {
  let n = 0;
  const server = http.createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw || "{}");
    const input: Item[] = Array.isArray(body.input) ? body.input : [];
    const called = (name: string) => input.some((i) => i.type === "function_call" && i.name === name);
    const tool = (body.tools ?? []).find((t: Item) => t.type === "function" && !called(t.name));
    const id = ++n;
    const output = tool
      ? [
          {
            id: `fc_${id}`,
            type: "function_call",
            status: "completed",
            call_id: `call_${id}`,
            name: tool.name,
            arguments: tool.name === "get_weather" ? '{"city":"Lisbon"}' : "{}",
          },
        ]
      : [
          {
            id: `msg_${id}`,
            type: "message",
            status: "completed",
            role: "assistant",
            content: [{ type: "output_text", text: "Lisbon is sunny, 24°C.", annotations: [] }],
          },
        ];
    res.writeHead(200, { "content-type": "application/json", "x-request-id": `req_${id}` });
    res.end(
      JSON.stringify({
        id: `resp_${id}`,
        object: "response",
        created_at: 1_760_000_000,
        status: "completed",
        model: `${body.model}-2025-01-01`,
        output,
        instructions: body.instructions ?? null,
        tools: body.tools ?? [],
        usage: {
          input_tokens: 42,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: 9,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: 51,
        },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
