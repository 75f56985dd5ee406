/**
 * A tiny in-process stand-in for the Gemini API (node:http on 127.0.0.1), so the example runs without credentials:
 * a streamed turn (`streamGenerateContent?alt=sse`) that calls `get_weather` first, then answers from its result,
 * and `batchEmbedContents`.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

const usage = (candidates: number) => ({
  promptTokenCount: 40,
  candidatesTokenCount: candidates,
  thoughtsTokenCount: 12,
  totalTokenCount: 52 + candidates,
});

export async function startFakeGemini(): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw || "{}");
    const model = /models\/([^:]+):/.exec(req.url ?? "")?.[1] ?? "gemini";
    if (req.url?.includes(":batchEmbedContents")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ embeddings: body.requests.map(() => ({ values: Array.from({ length: 8 }, Math.random) })) }),
      );
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    const send = (parts: object[], last: boolean, tokens: number) =>
      res.write(
        `data: ${JSON.stringify({
          candidates: [{ content: { role: "model", parts }, ...(last ? { finishReason: "STOP" } : {}), index: 0 }],
          usageMetadata: usage(tokens),
          modelVersion: `${model}-001`,
          responseId: "resp-example",
        })}\r\n\r\n`,
      );
    const answered = body.contents?.at(-1)?.parts?.some((p: { functionResponse?: unknown }) => p.functionResponse);
    if (!answered) send([{ functionCall: { id: "call-1", name: "get_weather", args: { city: "Lisbon" } } }], true, 9);
    else {
      const words = ["It is ", "24°C and ", "sunny in Lisbon."];
      words.forEach((text, i) => send([{ text }], i === words.length - 1, 3 * (i + 1)));
    }
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
