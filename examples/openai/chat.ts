/**
 * A streamed chat with a tool call on the OpenAI SDK, traced by `@pandaprobe/openai`: one trace under a user and a
 * session, with an LLM span per model call (the streamed tool-call deltas assembled, token usage) and a TOOL span.
 *
 * From the repo root: `npx -y pnpm@9.15.9 example openai` (a local PandaProbe backend and a fake OpenAI server are
 * started for it; no keys needed). As your own app it needs PANDAPROBE_API_KEY, PANDAPROBE_PROJECT_NAME and
 * OPENAI_API_KEY.
 */
import OpenAI from "openai";
import { init, session, user, withSpan, withTrace } from "@pandaprobe/core";
import { wrapOpenAI } from "@pandaprobe/openai";

const pandaprobe = init(); // PANDAPROBE_API_KEY, PANDAPROBE_PROJECT_NAME, PANDAPROBE_ENDPOINT
const openai = wrapOpenAI(new OpenAI(), { includeUsage: true }); // OPENAI_API_KEY (and OPENAI_BASE_URL)

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;
const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Current weather for a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    },
  },
];
const getWeather = ({ city }: { city: string }) => `${city}: 24°C and sunny`;

/** Streams one assistant turn: prints its text, assembles its tool calls from their deltas. */
async function streamTurn(messages: Message[]) {
  const stream = await openai.chat.completions.create({ model: "gpt-4o-mini", messages, tools, stream: true });
  let content = "";
  const calls: { id: string; name: string; arguments: string }[] = [];
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta; // the usage chunk has no choices
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

const question = "What's the weather in Lisbon?";
console.log(`user-42 asks: ${question}`);
await user("user-42", () =>
  session("session-7", () =>
    withTrace("weather-chat", { input: { messages: [{ role: "user", content: question }] } }, async (trace) => {
      const messages: Message[] = [
        { role: "system", content: "You are a concise weather assistant." },
        { role: "user", content: question },
      ];
      const first = await streamTurn(messages);
      messages.push({
        role: "assistant",
        content: first.content || null,
        tool_calls: first.calls.map((c) => ({
          id: c.id,
          type: "function",
          function: { name: c.name, arguments: c.arguments },
        })),
      });
      for (const call of first.calls) {
        const args = JSON.parse(call.arguments);
        const result = withSpan(call.name, { kind: "TOOL", input: args }, (span) => {
          const weather = getWeather(args);
          span.setOutput(weather);
          return weather;
        });
        console.log(`  (the model called ${call.name}: ${result})`);
        messages.push({ role: "tool", tool_call_id: call.id, content: result });
      }
      process.stdout.write("assistant: ");
      const answer = await streamTurn(messages);
      process.stdout.write("\n\n");
      trace.setOutput({ messages: [{ role: "assistant", content: answer.content }] });
    }),
  ),
);

// Before a script or a serverless function ends: deliver what was recorded, and see whether it all arrived.
const result = await pandaprobe.shutdown();
if (result.disabled) console.log(`PandaProbe sent nothing: ${result.disabled}.`);
else if (result.ok) console.log(`PandaProbe: the trace was delivered to ${pandaprobe.config.endpoint}.`);
else console.log(`PandaProbe: not everything was delivered: ${JSON.stringify(result)}`);
