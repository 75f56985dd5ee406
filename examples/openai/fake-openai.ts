/**
 * A tiny in-process stand-in for the OpenAI API (node:http on 127.0.0.1), so the example runs without
 * credentials: streamed chat completions that call `get_weather` first, then answer from its result.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export async function startFakeOpenAI(): Promise<{ baseURL: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw || "{}");
    const base = {
      id: "chatcmpl-example",
      object: "chat.completion.chunk",
      created: 1700000000,
      model: `${body.model}-2024-08-06`,
    };
    const send = (delta: object, finish: string | null = null) =>
      res.write(
        `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }], usage: null })}\n\n`,
      );
    res.writeHead(200, { "content-type": "text/event-stream", "x-request-id": "req_example" });
    const toolResult = body.messages?.find((m: { role: string }) => m.role === "tool");
    if (!toolResult) {
      send({ role: "assistant", content: null });
      send({
        tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "get_weather", arguments: "" } }],
      });
      for (const part of ['{"city":', '"Lisbon"}']) send({ tool_calls: [{ index: 0, function: { arguments: part } }] });
      send({}, "tool_calls");
    } else {
      const { celsius, sky } = JSON.parse(toolResult.content);
      send({ role: "assistant", content: "" });
      for (const part of ["It is ", `${celsius}°C and `, `${sky} in Lisbon.`]) send({ content: part });
      send({}, "stop");
    }
    if (body.stream_options?.include_usage) {
      const usage = {
        prompt_tokens: 40,
        completion_tokens: 9,
        total_tokens: 49,
        prompt_tokens_details: { cached_tokens: 12 },
      };
      res.write(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
    }
    res.end("data: [DONE]\n\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
