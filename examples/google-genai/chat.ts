/**
 * A Gemini chat traced by `wrapGoogleGenAI`: one trace with two streamed `gemini-chat` turns (the first calls
 * `get_weather`, the second answers from its result, with the history as its input), the tool's own span, and a
 * `gemini-embedding` span, under a user and a session.
 *
 * Runs with no credentials: a fake Gemini API server in-process and, unless PANDAPROBE_API_KEY is set, a local
 * PandaProbe stand-in backend whose received trace tree is printed.
 *   pnpm --filter @pandaprobe/example-google-genai start
 */
import { GoogleGenAI, type FunctionCall } from "@google/genai";
import { PandaProbe, startSpan, startTrace } from "@pandaprobe/core";
import { wrapGoogleGenAI } from "@pandaprobe/google-genai";
import { formatTraceTree, startStandIn } from "@pandaprobe/testing";
import { startFakeGemini } from "./fake-gemini.js";

const useStandIn = !process.env.PANDAPROBE_API_KEY;
const standIn = useStandIn ? await startStandIn({ persistDelayMs: 0 }) : undefined;
const pandaprobe = new PandaProbe(standIn ? { ...standIn.clientOptions, flushIntervalMs: 200 } : {});
const fake = await startFakeGemini();

const ai = wrapGoogleGenAI(new GoogleGenAI({ apiKey: "example-key", httpOptions: { baseUrl: fake.baseUrl } }), {
  client: pandaprobe,
});

const weatherTool = {
  functionDeclarations: [
    {
      name: "get_weather",
      description: "Current weather for a city",
      parametersJsonSchema: { type: "object", properties: { city: { type: "string" } } },
    },
  ],
};
const getWeather = (args: { city?: string }) => ({ city: args.city, celsius: 24, sky: "sunny" });

const answer = await startTrace(
  "weather-chat",
  { client: pandaprobe, userId: "user-42", sessionId: "session-7" },
  async (trace) => {
    const question = "What's the weather in Lisbon?";
    trace.setInput({ messages: [{ role: "user", content: question }] });
    const chat = ai.chats.create({
      model: "gemini-2.5-flash",
      config: { systemInstruction: "You are a concise weather assistant.", tools: [weatherTool] },
    });
    const calls: FunctionCall[] = [];
    for await (const chunk of await chat.sendMessageStream({ message: question }))
      calls.push(...(chunk.functionCalls ?? []));
    const results = calls.map((call) =>
      startSpan(call.name ?? "tool", { kind: "TOOL", input: call.args }, (span) => {
        const response = getWeather(call.args as { city?: string });
        span.setOutput(response);
        return { functionResponse: { id: call.id, name: call.name, response } };
      }),
    );
    process.stdout.write("assistant: ");
    let text = "";
    for await (const chunk of await chat.sendMessageStream({ message: results })) {
      process.stdout.write(chunk.text ?? "");
      text += chunk.text ?? "";
    }
    await ai.models.embedContent({ model: "gemini-embedding-001", contents: [text] });
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
