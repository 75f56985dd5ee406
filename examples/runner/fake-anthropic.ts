/**
 * A tiny in-process stand-in for the Anthropic Messages API (node:http on 127.0.0.1), so the example runs without
 * credentials: streamed messages (SSE, Anthropic's event sequence) that call `get_weather` first, then answer from
 * its result.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export async function startFakeAnthropic(): Promise<{ baseURL: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw || "{}");
    const send = (event: { type: string } & Record<string, unknown>) =>
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    res.writeHead(200, { "content-type": "text/event-stream", "request-id": "req_example" });
    const last = body.messages?.at(-1);
    const toolResult = Array.isArray(last?.content)
      ? last.content.find((b: { type: string }) => b.type === "tool_result")
      : undefined;
    const usage = { input_tokens: 40, cache_read_input_tokens: 12, cache_creation_input_tokens: 0, output_tokens: 1 };
    send({
      type: "message_start",
      message: {
        id: toolResult ? "msg_example_2" : "msg_example_1",
        type: "message",
        role: "assistant",
        model: `${body.model}-20250101`,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage,
      },
    });
    if (!toolResult) {
      send({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
      send({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Let me check. " } });
      send({ type: "content_block_stop", index: 0 });
      const toolUse = { type: "tool_use", id: "toolu_example", name: "get_weather", input: {} };
      send({ type: "content_block_start", index: 1, content_block: toolUse });
      for (const partial_json of ['{"city":', '"Lisbon"}'])
        send({ type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json } });
      send({ type: "content_block_stop", index: 1 });
      send({
        type: "message_delta",
        delta: { stop_reason: "tool_use", stop_sequence: null },
        usage: { output_tokens: 18 },
      });
    } else {
      const { celsius, sky } = JSON.parse(toolResult.content);
      send({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
      for (const text of ["It is ", `${celsius}°C and `, `${sky} in Lisbon.`])
        send({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } });
      send({ type: "content_block_stop", index: 0 });
      send({
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: 9 },
      });
    }
    send({ type: "message_stop" });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
