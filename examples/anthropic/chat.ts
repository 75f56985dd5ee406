/**
 * A streamed chat with a tool call, traced by `wrapAnthropic`: one trace with two LLM spans (the first streams a
 * `tool_use`, whose input JSON arrives in deltas; the second answers from the tool's result) and the tool's own span,
 * under a user and a session. Streams go through the SDK's `messages.stream()` helper.
 *
 * From the repo root: `npx -y pnpm@9.15.9 example anthropic` (a local PandaProbe backend and a fake Anthropic server are
 * started for it; no keys needed). As your own app it needs PANDAPROBE_API_KEY, PANDAPROBE_PROJECT_NAME and
 * ANTHROPIC_API_KEY.
 */
import Anthropic from "@anthropic-ai/sdk";
import { wrapAnthropic } from "@pandaprobe/anthropic";
import { init, withSpan, withTrace } from "@pandaprobe/core";

const pandaprobe = init(); // PANDAPROBE_API_KEY, PANDAPROBE_PROJECT_NAME, PANDAPROBE_ENDPOINT

const anthropic = wrapAnthropic(new Anthropic()); // ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL)

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

await withTrace("weather-chat", { userId: "user-42", sessionId: "session-7" }, async (trace) => {
  const messages: Anthropic.MessageParam[] = [{ role: "user", content: "What's the weather in Lisbon?" }];
  trace.setInput({ messages: [{ role: "user", content: "What's the weather in Lisbon?" }] });
  process.stdout.write("assistant: ");
  const first = await streamTurn(messages);
  messages.push({ role: "assistant", content: first.content });
  const results: Anthropic.ToolResultBlockParam[] = [];
  for (const block of first.content) {
    if (block.type !== "tool_use") continue;
    const input = block.input as { city: string };
    const output = withSpan(`run ${block.name}`, { kind: "TOOL", input }, (span) => {
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
});
process.stdout.write("\n\n");

// Before a script or a serverless function ends: deliver what was recorded, and see whether it all arrived.
const flushed = await pandaprobe.shutdown();
if (flushed.disabled) console.log(`PandaProbe sent nothing: ${flushed.disabled}.`);
else if (flushed.ok) console.log(`PandaProbe: the trace was delivered to ${pandaprobe.config.endpoint}.`);
else console.log(`PandaProbe: not everything was delivered: ${JSON.stringify(flushed)}`);
