// anthropic-messages / anthropic-stream: `messages.create`, non-streaming or `stream: true` (the raw SSE events,
// read to the end; what the `messages.stream()` helper reads too), on a plain client (bare) and on one given to the
// adapter's `wrapAnthropic` (traced).
import { createRequire } from "node:module";
import * as anthropicModule from "@anthropic-ai/sdk";
import { PROMPT, SYSTEM } from "./common.mjs";

const require = createRequire(import.meta.url);
const Anthropic = anthropicModule.default;

const REQUEST = {
  model: "claude-sonnet-4-5",
  max_tokens: 256,
  temperature: 0,
  system: SYSTEM,
  messages: [{ role: "user", content: PROMPT }],
};

export async function anthropicScenario({ hooks, urls, stream }) {
  // `hooks.clientOptions.anthropic`: options an adapter needs on both clients (Langfuse: see its adapter).
  const options = {
    baseURL: urls.anthropic,
    apiKey: "sk-ant-bench-dummy",
    maxRetries: 0,
    timeout: 10_000,
    ...hooks.clientOptions?.anthropic,
  };
  const bareClient = new Anthropic(options);
  const tracedClient = await hooks.wrapAnthropic(new Anthropic(options), {
    module: anthropicModule,
    options,
    // A second, separate instance of the SDK (its CommonJS build), for SDKs that patch the module's classes
    // (OpenTelemetry instrumentations): they patch this copy, so the bare client above stays bare.
    separateModule: () => require("@anthropic-ai/sdk"),
  });
  const request = stream ? { ...REQUEST, stream: true } : REQUEST;

  const callWith = (client) =>
    stream
      ? async () => {
          const s = await client.messages.create({ ...request });
          let events = 0;
          for await (const _ of s) events++;
          if (events < 5) throw new Error(`stream too short: ${events} events`);
        }
      : async () => {
          const m = await client.messages.create({ ...request });
          if (!m.content?.[0]?.text) throw new Error("empty message");
        };
  return { bare: callWith(bareClient), traced: callWith(tracedClient) };
}
