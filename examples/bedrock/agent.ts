/**
 * A Bedrock Converse agent traced by `wrapBedrock`: one trace with a `bedrock-converse` span that asks for a tool,
 * the tool's own span, and a streamed `bedrock-converse` span for the answer (usage with prompt caching, first-token
 * time), under a user and a session.
 *
 * Runs with no credentials: a fake Bedrock Runtime in-process (dummy AWS credentials; requests are still SigV4-signed)
 * and, unless PANDAPROBE_API_KEY is set, a local PandaProbe stand-in backend whose received trace tree is printed.
 *   pnpm --filter @pandaprobe/example-bedrock start
 */
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type Message,
} from "@aws-sdk/client-bedrock-runtime";
import { wrapBedrock } from "@pandaprobe/bedrock";
import { PandaProbe, withSpan, withTrace } from "@pandaprobe/core";
import { formatTraceTree, startStandIn } from "@pandaprobe/testing";
import { startFakeBedrock } from "./fake-bedrock.js";

const useStandIn = !process.env.PANDAPROBE_API_KEY;
const standIn = useStandIn ? await startStandIn({ persistDelayMs: 0 }) : undefined;
const pandaprobe = new PandaProbe(standIn ? { ...standIn.clientOptions, flushIntervalMs: 200 } : {});
const fake = await startFakeBedrock();

const bedrock = wrapBedrock(
  new BedrockRuntimeClient({
    region: "us-east-1",
    endpoint: fake.endpoint,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example-secret" },
  }),
  { client: pandaprobe },
);

const modelId = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
const system = [{ text: "You are a concise weather assistant." }];
const toolConfig = {
  tools: [
    {
      toolSpec: {
        name: "get_weather",
        description: "Current weather for a city",
        inputSchema: { json: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
      },
    },
  ],
};
const getWeather = (input: { city: string }) => ({ city: input.city, celsius: 24, sky: "sunny" });

const answer = await withTrace(
  "weather-chat",
  { client: pandaprobe, userId: "user-42", sessionId: "session-7" },
  async (trace) => {
    const messages: Message[] = [{ role: "user", content: [{ text: "What's the weather in Lisbon?" }] }];
    trace.setInput({ messages: [{ role: "user", content: "What's the weather in Lisbon?" }] });
    const first = await bedrock.send(new ConverseCommand({ modelId, system, messages, toolConfig }));
    const reply = first.output?.message;
    if (!reply) throw new Error("no reply");
    messages.push(reply);
    for (const block of reply.content ?? []) {
      if (!block.toolUse) continue;
      const { toolUseId, name, input } = block.toolUse;
      const result = withSpan(name ?? "tool", { kind: "TOOL", input }, (span) => {
        const out = getWeather(input as { city: string });
        span.setOutput(out);
        return out;
      });
      messages.push({ role: "user", content: [{ toolResult: { toolUseId, content: [{ json: result }] } }] });
    }
    process.stdout.write("assistant: ");
    const stream = await bedrock.send(new ConverseStreamCommand({ modelId, system, messages, toolConfig }));
    let text = "";
    for await (const event of stream.stream ?? []) {
      const delta = event.contentBlockDelta?.delta?.text;
      if (delta) process.stdout.write(delta), (text += delta);
    }
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
bedrock.destroy();
await fake.close();
