/**
 * A Bedrock Converse agent traced by `wrapBedrock`: one trace with a `bedrock-converse` span that asks for a tool,
 * the tool's own span, and a streamed `bedrock-converse` span for the answer (usage with prompt caching, first-token
 * time), under a user and a session.
 *
 * From the repo root: `npx -y pnpm@9.15.9 example bedrock` (a local PandaProbe backend and a fake Bedrock Runtime
 * are started for it, reached through AWS_ENDPOINT_URL_BEDROCK_RUNTIME with dummy AWS credentials; requests are
 * still SigV4-signed). As your own app it needs PANDAPROBE_API_KEY, PANDAPROBE_PROJECT_NAME and your AWS credentials.
 */
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type Message,
} from "@aws-sdk/client-bedrock-runtime";
import { wrapBedrock } from "@pandaprobe/bedrock";
import { init, withSpan, withTrace } from "@pandaprobe/core";

const pandaprobe = init(); // PANDAPROBE_API_KEY, PANDAPROBE_PROJECT_NAME, PANDAPROBE_ENDPOINT

// AWS credentials and region from the environment, as every AWS SDK client (AWS_ENDPOINT_URL_BEDROCK_RUNTIME points
// it at another endpoint, here the runner's fake Bedrock Runtime).
const bedrock = wrapBedrock(new BedrockRuntimeClient({ region: process.env.AWS_REGION ?? "us-east-1" }));

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

await withTrace("weather-chat", { client: pandaprobe, userId: "user-42", sessionId: "session-7" }, async (trace) => {
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
});
process.stdout.write("\n\n");

bedrock.destroy();

// Before a script or a serverless function ends: deliver what was recorded, and see whether it all arrived.
const flushed = await pandaprobe.shutdown();
if (flushed.disabled) console.log(`PandaProbe sent nothing: ${flushed.disabled}.`);
else if (flushed.ok) console.log(`PandaProbe: the trace was delivered to ${pandaprobe.config.endpoint}.`);
else console.log(`PandaProbe: not everything was delivered: ${JSON.stringify(flushed)}`);
