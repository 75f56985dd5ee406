// A minimal, near-zero-latency stand-in for Amazon Bedrock Runtime's Converse API as
// `@aws-sdk/client-bedrock-runtime` calls it: cleartext HTTP/2 (the client's only protocol),
// POST /model/{modelId}/converse answers with one canned assistant message, `usage` and `metrics`.
// The SigV4 signature is not checked (there is nothing to check it against); the client still computes it.
import { readBody, sendJson, serve } from "./fake-server.mjs";

const RESPONSE = Buffer.from(
  JSON.stringify({
    output: { message: { role: "assistant", content: [{ text: "The quick brown fox jumps over the lazy dog." }] } },
    stopReason: "end_turn",
    usage: { inputTokens: 42, outputTokens: 10, totalTokens: 52 },
    metrics: { latencyMs: 5 },
  }),
);

async function handle(req, res, counters) {
  if (req.method !== "POST" || !/^\/model\/[^/]+\/converse$/.test(req.url.split("?")[0])) return false;
  await readBody(req);
  counters.converse++;
  sendJson(res, 200, RESPONSE, { "x-amzn-requestid": "req-bench" });
}

/** Starts the fake server on 127.0.0.1 at a random port; `url` is the client's `endpoint`. */
export async function startFakeBedrock() {
  const server = await serve("bedrock", handle, { h2: true });
  Object.assign(server.counters, { converse: 0 });
  return { ...server, url: server.origin };
}
