/**
 * A streamed chat with a tool call, traced by `wrapOpenAI`: one trace with two LLM spans (tool-call
 * deltas assembled, usage via `includeUsage`) and the tool's own span, under a user and a session.
 *
 * Runs with no credentials: a fake OpenAI server in-process and, unless PANDAPROBE_API_KEY is set,
 * a local PandaProbe stand-in backend whose received trace tree is printed.
 *   pnpm --filter @pandaprobe/example-openai start
 */
import OpenAI from "openai";
import { PandaProbe, withSpan, withTrace } from "@pandaprobe/core";
import { wrapOpenAI } from "@pandaprobe/openai";
import { formatTraceTree, startStandIn } from "@pandaprobe/testing";
import { startFakeOpenAI } from "./fake-openai.js";

const useStandIn = !process.env.PANDAPROBE_API_KEY;
const standIn = useStandIn ? await startStandIn({ persistDelayMs: 0 }) : undefined;
const pandaprobe = new PandaProbe(standIn ? { ...standIn.clientOptions, flushIntervalMs: 200 } : {});
const fake = await startFakeOpenAI();

const openai = wrapOpenAI(new OpenAI({ apiKey: "sk-example", baseURL: fake.baseURL }), {
  client: pandaprobe,
  includeUsage: true,
});

const tools = [
  {
    type: "function" as const,
    function: {
      name: "get_weather",
      description: "Current weather for a city",
      parameters: { type: "object", properties: { city: { type: "string" } } },
    },
  },
];
const getWeather = (args: { city: string }) => ({ city: args.city, celsius: 24, sky: "sunny" });

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/** Streams one assistant turn, printing text and assembling tool calls from their deltas. */
async function streamTurn(messages: Message[]) {
  const stream = await openai.chat.completions.create({ model: "gpt-4o-mini", messages, tools, stream: true });
  let content = "";
  const calls: { id: string; name: string; arguments: string }[] = [];
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta; // the includeUsage chunk has no choices
    if (delta?.content) process.stdout.write(delta.content), (content += delta.content);
    for (const t of delta?.tool_calls ?? []) {
      const call = (calls[t.index] ??= { id: "", name: "", arguments: "" });
      call.id ||= t.id ?? "";
      call.name += t.function?.name ?? "";
      call.arguments += t.function?.arguments ?? "";
    }
  }
  return { content, calls };
}

const answer = await withTrace(
  "weather-chat",
  { client: pandaprobe, userId: "user-42", sessionId: "session-7" },
  async (trace) => {
    const messages: Message[] = [
      { role: "system", content: "You are a concise weather assistant." },
      { role: "user", content: "What's the weather in Lisbon?" },
    ];
    trace.setInput({ messages: [messages[1]] });
    process.stdout.write("assistant: ");
    const first = await streamTurn(messages);
    messages.push({
      role: "assistant",
      content: null,
      tool_calls: first.calls.map((c) => ({
        id: c.id,
        type: "function" as const,
        function: { name: c.name, arguments: c.arguments },
      })),
    });
    for (const call of first.calls) {
      const result = withSpan(call.name, { kind: "TOOL", input: JSON.parse(call.arguments) }, (span) => {
        const out = getWeather(JSON.parse(call.arguments));
        span.setOutput(out);
        return out;
      });
      messages.push({ role: "tool", tool_call_id: call.id, content: JSON.stringify(result) });
    }
    const second = await streamTurn(messages);
    trace.setOutput({ messages: [{ role: "assistant", content: second.content }] });
    return second.content;
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
