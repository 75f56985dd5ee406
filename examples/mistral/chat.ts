/**
 * A streamed Mistral chat with a tool call, traced by `wrapMistral`: one trace with an EMBEDDING span (looking up
 * the question), two LLM spans (the streamed tool call assembled, usage with cached tokens) and the tool's own
 * span, under a user and a session.
 *
 * From the repo root: `npx -y pnpm@9.15.9 example mistral` (a local PandaProbe backend and a fake Mistral server are
 * started for it; no keys needed). As your own app it needs PANDAPROBE_API_KEY, PANDAPROBE_PROJECT_NAME and
 * MISTRAL_API_KEY.
 */
import { Mistral } from "@mistralai/mistralai";
import type { ChatCompletionStreamRequest } from "@mistralai/mistralai/models/components";
import { init, withSpan, withTrace } from "@pandaprobe/core";
import { wrapMistral } from "@pandaprobe/mistral";

const pandaprobe = init(); // PANDAPROBE_API_KEY, PANDAPROBE_PROJECT_NAME, PANDAPROBE_ENDPOINT

// MISTRAL_API_KEY; MISTRAL_SERVER_URL (ours, not the SDK's) points it at another server, here the runner's fake
const client = new Mistral({ apiKey: process.env.MISTRAL_API_KEY, serverURL: process.env.MISTRAL_SERVER_URL });
const mistral = wrapMistral(client);

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

await withTrace("weather-chat", { userId: "user-42", sessionId: "session-7" }, async (trace) => {
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
    const result = withSpan(call.name, { kind: "TOOL", input: JSON.parse(call.arguments) }, (span) => {
      const out = getWeather(JSON.parse(call.arguments));
      span.setOutput(out);
      return out;
    });
    messages.push({ role: "tool", toolCallId: call.id, name: call.name, content: JSON.stringify(result) });
  }
  const second = await streamTurn(messages);
  trace.setOutput({ messages: [{ role: "assistant", content: second.content }] });
  return second.content;
});
process.stdout.write("\n\n");

// Before a script or a serverless function ends: deliver what was recorded, and see whether it all arrived.
const flushed = await pandaprobe.shutdown();
if (flushed.disabled) console.log(`PandaProbe sent nothing: ${flushed.disabled}.`);
else if (flushed.ok) console.log(`PandaProbe: the trace was delivered to ${pandaprobe.config.endpoint}.`);
else console.log(`PandaProbe: not everything was delivered: ${JSON.stringify(flushed)}`);
