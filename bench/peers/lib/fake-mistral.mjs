// A minimal, near-zero-latency stand-in for Mistral's chat API as `@mistralai/mistralai` calls it:
// POST /v1/chat/completions answers with one canned completion and `usage`.
import { readBody, sendJson, serve } from "./fake-server.mjs";

const RESPONSE = Buffer.from(
  JSON.stringify({
    id: "cmpl-bench",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "mistral-small-2506",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: "The quick brown fox jumps over the lazy dog.", tool_calls: null },
        finish_reason: "stop",
      },
    ],
    usage: { prompt_tokens: 42, completion_tokens: 10, total_tokens: 52 },
  }),
);

async function handle(req, res, counters) {
  if (req.method !== "POST" || req.url.split("?")[0] !== "/v1/chat/completions") return false;
  await readBody(req);
  counters.chat++;
  sendJson(res, 200, RESPONSE);
}

/** Starts the fake server on 127.0.0.1 at a random port; `url` is the client's `serverURL`. */
export async function startFakeMistral() {
  const server = await serve("mistral", handle);
  Object.assign(server.counters, { chat: 0 });
  return { ...server, url: server.origin };
}
