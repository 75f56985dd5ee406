// mistral: `chat.complete` of `@mistralai/mistralai`'s `Mistral`, on a plain client (bare) and on the adapter's
// `wrapMistral(client, { module, options })` (traced).
import * as mistralModule from "@mistralai/mistralai";
import { PROMPT, pairedOps, SYSTEM } from "./common.mjs";

/** `chat.complete` of `@mistralai/mistralai`'s `Mistral`. */
export async function mistralScenario({ hooks, urls }) {
  const options = { apiKey: "bench-dummy-key", serverURL: urls.mistral, retryConfig: { strategy: "none" } };
  const { Mistral } = mistralModule;
  const traced = await hooks.wrapMistral(new Mistral(options), { module: mistralModule, options });
  return pairedOps(new Mistral(options), traced, async (client) => {
    const r = await client.chat.complete({
      model: "mistral-small-latest",
      temperature: 0,
      messages: [
        { role: "system", content: SYSTEM },
        { role: "user", content: PROMPT },
      ],
    });
    if (!r.choices?.[0]?.message?.content) throw new Error("empty chat.complete response");
  });
}
