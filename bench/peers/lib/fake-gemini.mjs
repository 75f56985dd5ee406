// A minimal, near-zero-latency stand-in for the Gemini API as `@google/genai` calls it:
// POST /{v1,v1beta}/models/{model}:generateContent answers with one canned candidate and `usageMetadata`.
import { readBody, sendJson, serve } from "./fake-server.mjs";

const ANSWER = "The quick brown fox jumps over the lazy dog.";
const RESPONSE = Buffer.from(
  JSON.stringify({
    candidates: [{ content: { role: "model", parts: [{ text: ANSWER }] }, finishReason: "STOP", index: 0 }],
    usageMetadata: { promptTokenCount: 42, candidatesTokenCount: 10, totalTokenCount: 52 },
    modelVersion: "gemini-2.5-flash-001",
    responseId: "resp_bench",
  }),
);

async function handle(req, res, counters) {
  if (req.method !== "POST" || !/^\/v1[a-z0-9]*\/models\/[^/:]+:generateContent$/.test(req.url.split("?")[0]))
    return false;
  await readBody(req);
  counters.generate++;
  sendJson(res, 200, RESPONSE);
}

/** Starts the fake server on 127.0.0.1 at a random port; `url` is the client's `httpOptions.baseUrl`. */
export async function startFakeGemini() {
  const server = await serve("gemini", handle);
  Object.assign(server.counters, { generate: 0 });
  return { ...server, url: server.origin };
}
