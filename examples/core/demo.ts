/**
 * The PandaProbe demo: a small weather chat bot instrumented with `@pandaprobe/core`. One user has a three-turn
 * conversation; each turn is a trace with a span per model call (LLM) and per tool call (TOOL), under that user and
 * that conversation (the session); the first turn then gets a score, as user feedback or an evaluator would give.
 *
 * From the repo root: `npx -y pnpm@9.15.9 demo` (a local PandaProbe backend is started for it; no keys needed), or
 * with your project: `PANDAPROBE_API_KEY=sk_pp_... PANDAPROBE_PROJECT_NAME=my-app npx -y pnpm@9.15.9 demo`.
 */
import { getCurrentTrace, init, score, session, trace, user, withSpan } from "@pandaprobe/core";

type Message = { role: "system" | "user" | "assistant" | "tool"; content: string; toolCall?: { city: string } };

// Reads PANDAPROBE_API_KEY, PANDAPROBE_PROJECT_NAME and PANDAPROBE_ENDPOINT (default: the hosted PandaProbe).
const pandaprobe = init();

/** Stands in for your model: asks for the weather tool when the question is about weather, then answers. */
async function fakeModel(messages: Message[]): Promise<Message> {
  const last = messages[messages.length - 1];
  if (last.role === "tool") return { role: "assistant", content: `It is ${last.content} right now.` };
  const question = last.content.toLowerCase();
  if (question.includes("weather")) return { role: "assistant", content: "", toolCall: { city: "Paris" } };
  if (question.includes("tomorrow")) return { role: "assistant", content: "Tomorrow looks rainy: take an umbrella." };
  return { role: "assistant", content: "Hello! Ask me about the weather." };
}

/** A model call, recorded as an LLM span: the messages it was given, its answer, the model and the token usage. */
function callModel(messages: Message[]): Promise<Message> {
  return withSpan("chat-model", { kind: "LLM", input: { messages } }, async (span) => {
    const reply = await fakeModel(messages);
    span.setModel("demo-model-1").setTokenUsage({ prompt_tokens: 12 * messages.length, completion_tokens: 9 });
    span.setOutput({ messages: [reply] });
    return reply;
  });
}

/** A tool, recorded as a TOOL span. */
function getWeather(city: string): Promise<string> {
  return withSpan("get_weather", { kind: "TOOL", input: { city } }, async (span) => {
    const weather = `sunny and 21°C in ${city}`;
    span.setOutput(weather);
    return weather;
  });
}

/** The trace id of each turn, to score a turn afterwards. */
const turnTraceIds: string[] = [];

/** One chat turn, a trace named "chat-turn": its input is the conversation so far, its output the answer. */
const chatTurn = trace(
  async (input: { messages: Message[] }) => {
    turnTraceIds.push(getCurrentTrace()?.id ?? "");
    let reply = await callModel(input.messages);
    if (reply.toolCall) {
      const weather = await getWeather(reply.toolCall.city);
      console.log(`  (the model called get_weather for ${reply.toolCall.city}: ${weather})`);
      reply = await callModel([...input.messages, reply, { role: "tool", content: weather }]);
    }
    return { messages: [reply] };
  },
  { name: "chat-turn", tags: ["demo"] },
);

console.log('Chat as user "user-ada" in conversation "conversation-42":\n');
const history: Message[] = [{ role: "system", content: "You are a helpful weather bot." }];
await user("user-ada", () =>
  session("conversation-42", async () => {
    for (const question of ["Hi there!", "What's the weather in Paris?", "And tomorrow?"]) {
      console.log(`> ${question}`);
      history.push({ role: "user", content: question });
      const { messages } = await chatTurn({ messages: history });
      history.push(messages[0]);
      console.log(`< ${messages[0].content}\n`);
    }
  }),
);

// A score for the first turn, sent right away: it waits until that trace has been stored.
score({ traceId: turnTraceIds[0], name: "helpfulness", value: 0.9, reason: "demo grader" });

// Before a script or a serverless function ends: deliver what was recorded, and see whether it all arrived.
const result = await pandaprobe.shutdown();
if (result.disabled) console.log(`PandaProbe sent nothing: ${result.disabled}.`);
else if (result.ok) console.log(`PandaProbe: 3 traces and 1 score delivered to ${pandaprobe.config.endpoint}.`);
else console.log(`PandaProbe: not everything was delivered: ${JSON.stringify(result)}`);
