/**
 * A streamed Mistral chat with a tool call, traced by `wrapMistral`: one trace with an EMBEDDING span (looking up
 * the question), two LLM spans (the streamed tool call assembled, usage with cached tokens) and the tool's own
 * span, under a user and a session.
 *
 * Runs with no credentials: a fake Mistral server in-process and, unless PANDAPROBE_API_KEY is set, a local
 * PandaProbe stand-in backend whose received trace tree is printed.
 *   pnpm --filter @pandaprobe/example-mistral start
 */
import { Mistral } from "@mistralai/mistralai";
import type { ChatCompletionStreamRequest } from "@mistralai/mistralai/models/components";
import { PandaProbe, startSpan, startTrace } from "@pandaprobe/core";
import { wrapMistral } from "@pandaprobe/mistral";
import { formatTraceTree, startStandIn } from "@pandaprobe/testing";
import { startFakeMistral } from "./fake-mistral.js";

const useStandIn = !process.env.PANDAPROBE_API_KEY;
const standIn = useStandIn ? await startStandIn({ persistDelayMs: 0 }) : undefined;
const pandaprobe = new PandaProbe(standIn ? { ...standIn.clientOptions, flushIntervalMs: 200 } : {});
const fake = await startFakeMistral();

const mistral = wrapMistral(new Mistral({ apiKey: "example-key", serverURL: fake.serverURL }), { client: pandaprobe });

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

type Message = ChatCompletionStreamRequest["messages"][number];

/** Streams one assistant turn, printing its text and collecting its tool calls. */
async function streamTurn(messages: Message[]) {
  const stream = await mistral.chat.stream({ model: "mistral-small-latest", messages, tools });
  let content = "";
  const calls: { id: string; name: string; arguments: string }[] = [];
  for await (const event of stream) {
    const delta = event.data.choices[0]?.delta;
    if (typeof delta?.content === "string" && delta.content)
      process.stdout.write(delta.content), (content += delta.content);
    for (const t of delta?.toolCalls ?? []) {
      const args =
        typeof t.function.arguments === "string" ? t.function.arguments : JSON.stringify(t.function.arguments);
      calls.push({ id: t.id ?? "", name: t.function.name, arguments: args });
    }
  }
  return { content, calls };
}

const answer = await startTrace(
  "weather-chat",
  { client: pandaprobe, userId: "user-42", sessionId: "session-7" },
  async (trace) => {
    const question = "What's the weather in Lisbon?";
    trace.setInput({ messages: [{ role: "user", content: question }] });
    await mistral.embeddings.create({ model: "mistral-embed", inputs: [question] }); // e.g. to look up past answers
    const messages: Message[] = [
      { role: "system", content: "You are a concise weather assistant." },
      { role: "user", content: question },
    ];
    process.stdout.write("assistant: ");
    const first = await streamTurn(messages);
    messages.push({
      role: "assistant",
      content: "",
      toolCalls: first.calls.map((c) => ({
        id: c.id,
        type: "function",
        function: { name: c.name, arguments: c.arguments },
      })),
    });
    for (const call of first.calls) {
      const result = startSpan(call.name, { kind: "TOOL", input: JSON.parse(call.arguments) }, (span) => {
        const out = getWeather(JSON.parse(call.arguments));
        span.setOutput(out);
        return out;
      });
      messages.push({ role: "tool", toolCallId: call.id, name: call.name, content: JSON.stringify(result) });
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
