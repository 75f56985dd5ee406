/**
 * A tiny in-process stand-in for Amazon Bedrock Runtime (HTTP/2 cleartext on 127.0.0.1, what the AWS SDK's default
 * handler speaks), so the example runs without AWS credentials: Converse answers with a `get_weather` tool call
 * first, and ConverseStream streams the answer from the tool's result as real binary event-stream frames.
 */
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { EventStreamCodec } from "@smithy/core/event-streams";

const codec = new EventStreamCodec(
  (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8"),
  (text: string) => new Uint8Array(Buffer.from(text, "utf8")),
);
const frame = (type: string, body: unknown) =>
  codec.encode({
    headers: {
      ":event-type": { type: "string", value: type },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "event" },
    },
    body: new Uint8Array(Buffer.from(JSON.stringify(body))),
  });

const usage = { inputTokens: 40, outputTokens: 9, totalTokens: 61, cacheReadInputTokens: 12, cacheWriteInputTokens: 0 };

export async function startFakeBedrock(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const server = http2.createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw || "{}");
    const headers = { "x-amzn-requestid": crypto.randomUUID() };
    if (req.url?.endsWith("/converse")) {
      res.writeHead(200, { ...headers, "content-type": "application/json" });
      return res.end(
        JSON.stringify({
          output: {
            message: {
              role: "assistant",
              content: [
                { text: "Let me look that up." },
                { toolUse: { toolUseId: "tooluse_1", name: "get_weather", input: { city: "Lisbon" } } },
              ],
            },
          },
          stopReason: "tool_use",
          usage,
          metrics: { latencyMs: 120 },
        }),
      );
    }
    const result = body.messages?.at(-1)?.content?.[0]?.toolResult?.content?.[0]?.json ?? {};
    res.writeHead(200, { ...headers, "content-type": "application/vnd.amazon.eventstream" });
    res.write(frame("messageStart", { role: "assistant" }));
    for (const text of ["It is ", `${result.celsius}°C and `, `${result.sky} in Lisbon.`]) {
      res.write(frame("contentBlockDelta", { contentBlockIndex: 0, delta: { text } }));
    }
    res.write(frame("contentBlockStop", { contentBlockIndex: 0 }));
    res.write(frame("messageStop", { stopReason: "end_turn" }));
    res.end(frame("metadata", { usage, metrics: { latencyMs: 200 } }));
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (s) => (sessions.add(s), s.on("close", () => sessions.delete(s))));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sessions) s.destroy();
        server.close(() => resolve());
      }),
  };
}
