/**
 * A Gemini chat traced by `wrapGoogleGenAI`: one trace with two streamed `gemini-chat` turns (the first calls
 * `get_weather`, the second answers from its result, with the history as its input), the tool's own span, and a
 * `gemini-embedding` span, under a user and a session.
 *
 * From the repo root: `npx -y pnpm@9.15.9 example google-genai` (a local PandaProbe backend and a fake Gemini server are
 * started for it; no keys needed). As your own app it needs PANDAPROBE_API_KEY, PANDAPROBE_PROJECT_NAME and
 * GEMINI_API_KEY.
 */
import { GoogleGenAI, type FunctionCall } from "@google/genai";
import { init, withSpan, withTrace } from "@pandaprobe/core";
import { wrapGoogleGenAI } from "@pandaprobe/google-genai";

const pandaprobe = init(); // PANDAPROBE_API_KEY, PANDAPROBE_PROJECT_NAME, PANDAPROBE_ENDPOINT

// GEMINI_API_KEY (GOOGLE_GEMINI_BASE_URL points it at another server, here the runner's fake Gemini API)
const ai = wrapGoogleGenAI(new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY }));

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

await withTrace("weather-chat", { userId: "user-42", sessionId: "session-7" }, async (trace) => {
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
    withSpan(call.name ?? "tool", { kind: "TOOL", input: call.args }, (span) => {
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
});
process.stdout.write("\n\n");

// Before a script or a serverless function ends: deliver what was recorded, and see whether it all arrived.
const flushed = await pandaprobe.shutdown();
if (flushed.disabled) console.log(`PandaProbe sent nothing: ${flushed.disabled}.`);
else if (flushed.ok) console.log(`PandaProbe: the trace was delivered to ${pandaprobe.config.endpoint}.`);
else console.log(`PandaProbe: not everything was delivered: ${JSON.stringify(flushed)}`);
