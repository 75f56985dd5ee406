// bedrock: `send(new ConverseCommand(...))` on `@aws-sdk/client-bedrock-runtime`'s `BedrockRuntimeClient` (SigV4,
// HTTP/2), on a plain client (bare) and on the adapter's `wrapBedrock(client, { module, options })` (traced).
import * as bedrockModule from "@aws-sdk/client-bedrock-runtime";
import { PROMPT, pairedOps, SYSTEM } from "./common.mjs";

/** `send(new ConverseCommand(...))` on `@aws-sdk/client-bedrock-runtime`'s `BedrockRuntimeClient` (SigV4, HTTP/2). */
export async function bedrockScenario({ hooks, urls }) {
  const options = {
    region: "us-east-1",
    endpoint: urls.bedrock,
    credentials: { accessKeyId: "AKIDBENCHDUMMY", secretAccessKey: "bench-dummy-secret" },
    maxAttempts: 1,
  };
  const { BedrockRuntimeClient, ConverseCommand } = bedrockModule;
  const traced = await hooks.wrapBedrock(new BedrockRuntimeClient(options), { module: bedrockModule, options });
  return pairedOps(new BedrockRuntimeClient(options), traced, async (client) => {
    const r = await client.send(
      new ConverseCommand({
        modelId: "anthropic.claude-3-5-haiku-20241022-v1:0",
        system: [{ text: SYSTEM }],
        messages: [{ role: "user", content: [{ text: PROMPT }] }],
        inferenceConfig: { temperature: 0, maxTokens: 256 },
      }),
    );
    if (!r.output?.message?.content?.[0]?.text) throw new Error("empty Converse response");
  });
}
