/**
 * A streamed chat with a tool call, traced by `wrapAnthropic`: one trace with two LLM spans (the first streams a
 * `tool_use`, whose input JSON arrives in deltas; the second answers from the tool's result) and the tool's own span,
 * under a user and a session. Streams go through the SDK's `messages.stream()` helper.
 *
 * Runs with no credentials: a fake Anthropic server in-process and, unless PANDAPROBE_API_KEY is set, a local
 * PandaProbe stand-in backend whose received trace tree is printed.
 *   pnpm --filter @pandaprobe/example-anthropic start
 */
import Anthropic from "@anthropic-ai/sdk";
import { wrapAnthropic } from "@pandaprobe/anthropic";
import { PandaProbe, startSpan, startTrace } from "@pandaprobe/core";
import { formatTraceTree, startStandIn } from "@pandaprobe/testing";
import { startFakeAnthropic } from "./fake-anthropic.js";

const useStandIn = !process.env.PANDAPROBE_API_KEY;
const standIn = useStandIn ? await startStandIn({ persistDelayMs: 0 }) : undefined;
const pandaprobe = new PandaProbe(standIn ? { ...standIn.clientOptions, flushIntervalMs: 200 } : {});
const fake = await startFakeAnthropic();

const anthropic = wrapAnthropic(new Anthropic({ apiKey: "sk-ant-example", baseURL: fake.baseURL }), {
  client: pandaprobe,
});

const tools: Anthropic.Tool[] = [
  {
    name: "get_weather",
    description: "Current weather for a city",
    input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
];
const getWeather = (input: { city: string }) => ({ city: input.city, celsius: 24, sky: "sunny" });

/** Streams one assistant turn, printing its text as it arrives. */
async function streamTurn(messages: Anthropic.MessageParam[]): Promise<Anthropic.Message> {
  const stream = anthropic.messages
    .stream({
      model: "claude-sonnet-5-5",
      max_tokens: 1024,
      system: "You are a concise weather assistant.",
      messages,
      tools,
    })
    .on("text", (text) => process.stdout.write(text));
  return stream.finalMessage();
}

const answer = await startTrace(
  "weather-chat",
  { client: pandaprobe, userId: "user-42", sessionId: "session-7" },
  async (trace) => {
    const messages: Anthropic.MessageParam[] = [{ role: "user", content: "What's the weather in Lisbon?" }];
    trace.setInput({ messages: [{ role: "user", content: "What's the weather in Lisbon?" }] });
    process.stdout.write("assistant: ");
    const first = await streamTurn(messages);
    messages.push({ role: "assistant", content: first.content });
    const results: Anthropic.ToolResultBlockParam[] = [];
    for (const block of first.content) {
      if (block.type !== "tool_use") continue;
      const input = block.input as { city: string };
      const output = startSpan(`run ${block.name}`, { kind: "TOOL", input }, (span) => {
        const out = getWeather(input);
        span.setOutput(out);
        return out;
      });
      results.push({ type: "tool_result", tool_use_id: block.id, content: JSON.stringify(output) });
    }
    messages.push({ role: "user", content: results });
    const second = await streamTurn(messages);
    const text = second.content.map((b) => (b.type === "text" ? b.text : "")).join("");
    trace.setOutput({ messages: [{ role: "assistant", content: text }] });
    return text;
  },
);
process.stdout.write("\n\n");

const flushed = await pandaprobe.shutdown({ timeoutMs: 5000 });
if (standIn) {
  const [trace] = await standIn.waitForTraces(1);
  console.log(formatTraceTree(trace));
  const errors = standIn.schemaErrors();
  console.log(errors.length ? `schema errors: ${JSON.stringify(errors)}` : "every payload matched the OpenAPI schema");
  await standIn.close();
} else {
  console.log(`sent to PandaProbe: ${JSON.stringify(flushed)} (answer: ${answer})`);
}
await fake.close();
