// openai-chat / openai-stream: `chat.completions.create`, non-streaming or streaming (read to the end), on a plain
// client (bare) and on one given to the adapter's `wrapOpenAI` (traced).
import OpenAI from "openai";
import { PROMPT, SYSTEM } from "./common.mjs";

const CHAT_REQUEST = {
  model: "gpt-4o-mini",
  temperature: 0,
  messages: [
    { role: "system", content: SYSTEM },
    { role: "user", content: PROMPT },
  ],
};

function openaiClient(baseURL) {
  return new OpenAI({ baseURL, apiKey: "sk-bench-dummy", maxRetries: 0, timeout: 10_000 });
}

export async function openaiScenario({ hooks, urls, stream }) {
  const bareClient = openaiClient(urls.openai);
  const tracedClient = await hooks.wrapOpenAI(openaiClient(urls.openai));
  const request = stream ? { ...CHAT_REQUEST, stream: true, stream_options: { include_usage: true } } : CHAT_REQUEST;

  const callWith = (client) =>
    stream
      ? async () => {
          const s = await client.chat.completions.create({ ...request });
          let chunks = 0;
          for await (const _ of s) chunks++;
          if (chunks < 3) throw new Error(`stream too short: ${chunks} chunks`);
        }
      : async () => {
          const r = await client.chat.completions.create({ ...request });
          if (!r.choices?.[0]?.message?.content) throw new Error("empty completion");
        };
  return { bare: callWith(bareClient), traced: callWith(tracedClient) };
}
