/**
 * Demo: a small multi-turn conversation traced with user()/session(), sent to a PandaProbe
 * stand-in started in this process (or to a real backend when PANDAPROBE_API_KEY is set),
 * then every received trace printed as a tree.
 *
 *   pnpm demo
 */
import { getCurrentTrace, init, score, session, trace, user, withSpan, type Span } from "@pandaprobe/core";
import { formatTraceTree, startStandIn } from "@pandaprobe/testing";

type Message = { role: "system" | "user" | "assistant" | "tool"; content: string };

const useRealBackend = !!process.env.PANDAPROBE_API_KEY;
const standIn = useRealBackend ? undefined : await startStandIn({ persistDelayMs: 0 });
const client = init(standIn ? { ...standIn.clientOptions, flushIntervalMs: 100 } : {});

/** A fake model so the demo needs no credentials: answers from a tiny table. */
async function fakeModel(messages: Message[], span: Span): Promise<Message> {
  const question = [...messages]
    .reverse()
    .find((m) => m.role === "user")!
    .content.toLowerCase();
  await new Promise((r) => setTimeout(r, 5));
  span.setModel("demo-model-1").setModelParameters({ temperature: 0 });
  span.setTokenUsage({ prompt_tokens: 12 * messages.length, completion_tokens: 9 });
  if (question.includes("weather")) return { role: "assistant", content: "It is sunny and 21°C in Paris." };
  if (question.includes("tomorrow")) return { role: "assistant", content: "Tomorrow looks rainy — take an umbrella." };
  return { role: "assistant", content: "Hello! Ask me about the weather." };
}

async function lookupWeather(city: string): Promise<string> {
  return withSpan("get_weather", { kind: "TOOL", input: { city } }, async (span) => {
    const result = `${city}: sunny, 21°C`;
    span.setOutput(result);
    return result;
  });
}

/** The trace id of each turn, to attach scores (user feedback, an evaluator) to it afterwards. */
const turnTraceIds: string[] = [];

/** One chat turn: traced like the Python SDK's @trace (input = last user message, output = last assistant message). */
const chatTurn = trace(
  async (input: { messages: Message[] }) => {
    turnTraceIds.push(getCurrentTrace()!.id);
    const weather = await lookupWeather("Paris");
    const messages: Message[] = [...input.messages, { role: "tool", content: weather }];
    const answer = await withSpan("chat-model", { kind: "LLM", input: { messages } }, async (span) => {
      const reply = await fakeModel(messages, span);
      span.setOutput({ messages: [reply] });
      return reply;
    });
    return { messages: [...input.messages, answer] };
  },
  { name: "chat-turn", tags: ["demo"] },
);

const history: Message[] = [{ role: "system", content: "You are a helpful weather bot." }];
await user("user-ada", () =>
  session("conversation-42", async () => {
    for (const question of ["Hi there!", "What's the weather in Paris?", "And tomorrow?"]) {
      history.push({ role: "user", content: question });
      const result = await chatTurn({ messages: history });
      history.push(result.messages[result.messages.length - 1]);
      console.log(`> ${question}\n< ${history[history.length - 1].content}`);
    }
  }),
);

// A score for the first turn, right away: it waits until that trace has been delivered.
score({ traceId: turnTraceIds[0], name: "helpfulness", value: 0.9, reason: "demo grader" });

const result = await client.flush({ timeoutMs: 10_000 });
console.log(`\nflush: ${JSON.stringify(result)}`);

if (standIn) {
  const traces = await standIn.waitForTraces(3);
  await client.flush();
  console.log(`\nThe stand-in received ${traces.length} traces:\n`);
  const last = (io: unknown) => JSON.stringify((io as { messages?: unknown[] } | null)?.messages?.at(-1) ?? io);
  for (const t of traces)
    console.log(`${formatTraceTree(t)}\n   input:  ${last(t.input)}\n   output: ${last(t.output)}\n`);
  console.log(
    `scores: ${standIn
      .scores()
      .map((s) => `${s.name}=${s.value}`)
      .join(", ")}`,
  );
  const problems = standIn.schemaErrors();
  console.log(
    problems.length ? `schema problems: ${JSON.stringify(problems)}` : "every payload matched the OpenAPI schemas",
  );
  await client.shutdown();
  await standIn.close();
} else {
  await client.shutdown();
  console.log("sent to", client.config.endpoint);
}
