/**
 * A tiny in-process stand-in for the Mistral API (node:http on 127.0.0.1), so the example runs without credentials:
 * embeddings, and streamed chat completions that call `get_weather` first, then answer from its result. Mistral's
 * wire format: snake_case JSON, SSE `data:` events with the usage in the last chunk, then `data: [DONE]`.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export async function startFakeMistral(): Promise<{ serverURL: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw || "{}");
    if (req.url === "/v1/embeddings") {
      res.writeHead(200, { "content-type": "application/json" });
      const data = body.input.map((_: string, index: number) => ({
        object: "embedding",
        index,
        embedding: [0.1, 0.2],
      }));
      const usage = { prompt_tokens: 6, completion_tokens: 0, total_tokens: 6 };
      return res.end(JSON.stringify({ id: "emb-1", object: "list", model: body.model, data, usage }));
    }
    const base = {
      id: "cmpl-example",
      object: "chat.completion.chunk",
      created: 1700000000,
      model: "mistral-small-2506",
    };
    const send = (delta: object, finish: string | null = null, usage?: object) =>
      res.write(
        `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }], usage })}\n\n`,
      );
    res.writeHead(200, { "content-type": "text/event-stream" });
    send({ role: "assistant", content: "" });
    const toolResult = body.messages?.find((m: { role: string }) => m.role === "tool");
    if (!toolResult) {
      const call = { id: "call1abcd", function: { name: "get_weather", arguments: '{"city": "Lisbon"}' }, index: 0 };
      send({ tool_calls: [call] }, "tool_calls", { prompt_tokens: 90, completion_tokens: 12, total_tokens: 102 });
    } else {
      const { celsius, sky } = JSON.parse(toolResult.content);
      for (const part of ["It is ", `${celsius}°C and `, `${sky} in Lisbon.`]) send({ content: part });
      const usage = {
        prompt_tokens: 130,
        completion_tokens: 9,
        total_tokens: 139,
        prompt_tokens_details: { cached_tokens: 64 },
      };
      send({ content: "" }, "stop", usage);
    }
    res.end("data: [DONE]\n\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    serverURL: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
