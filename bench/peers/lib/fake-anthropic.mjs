// A minimal, near-zero-latency stand-in for Anthropic's Messages API.
//
// POST /v1/messages answers with a canned message (the same sentence as the fake OpenAI, with `usage`):
//   - stream:false -> one JSON `message`
//   - stream:true  -> SSE in the real event sequence: message_start (usage so far), content_block_start, ping,
//     CONTENT_PIECES content_block_delta (text_delta) events, content_block_stop, message_delta (stop_reason and
//     the final output_tokens), message_stop.
// Everything is pre-serialised so the server adds as little work as possible.
import { parseJson, readBody, sendJson, serve } from "./fake-server.mjs";

const MODEL = "claude-sonnet-4-5-20250929";
const CONTENT_PIECES = ["The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", "."];
const USAGE = {
  input_tokens: 42,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  output_tokens: CONTENT_PIECES.length,
  service_tier: "standard",
};

const MESSAGE = Buffer.from(
  JSON.stringify({
    id: "msg_bench",
    type: "message",
    role: "assistant",
    model: MODEL,
    content: [{ type: "text", text: CONTENT_PIECES.join("") }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: USAGE,
  }),
);

const sse = (data) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
const STREAM_EVENTS = [
  sse({
    type: "message_start",
    message: {
      id: "msg_bench",
      type: "message",
      role: "assistant",
      model: MODEL,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...USAGE, output_tokens: 1 },
    },
  }),
  sse({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
  sse({ type: "ping" }),
  ...CONTENT_PIECES.map((text) => sse({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } })),
  sse({ type: "content_block_stop", index: 0 }),
  sse({
    type: "message_delta",
    delta: { stop_reason: "end_turn", stop_sequence: null },
    usage: { output_tokens: CONTENT_PIECES.length },
  }),
  sse({ type: "message_stop" }),
];

async function handle(req, res, counters) {
  if (req.method !== "POST" || req.url.split("?")[0] !== "/v1/messages") return false;
  if (parseJson(await readBody(req)).stream === true) {
    counters.stream++;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "request-id": "req_bench" });
    // One write per event, so the client sees real chunking.
    for (const event of STREAM_EVENTS.slice(0, -1)) res.write(event);
    res.end(STREAM_EVENTS.at(-1));
  } else {
    counters.messages++;
    sendJson(res, 200, MESSAGE, { "request-id": "req_bench" });
  }
}

/** Starts the fake server on 127.0.0.1 at a random port; `url` is the client's `baseURL` (no `/v1`). */
export async function startFakeAnthropic() {
  const server = await serve("anthropic", handle);
  Object.assign(server.counters, { messages: 0, stream: 0 });
  return { ...server, url: server.origin };
}
