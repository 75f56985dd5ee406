// Starts every fake provider the scenarios call (each on its own port, in the parent process, so the measured child
// only holds the app and the SDK) and returns their base URLs for the children.
import { startFakeAnthropic } from "./fake-anthropic.mjs";
import { startFakeBedrock } from "./fake-bedrock.mjs";
import { startFakeGemini } from "./fake-gemini.mjs";
import { startFakeMistral } from "./fake-mistral.mjs";
import { startFakeOpenAI } from "./fake-openai.mjs";

export async function startFakeProviders() {
  const fakes = {
    openai: await startFakeOpenAI(),
    anthropic: await startFakeAnthropic(),
    gemini: await startFakeGemini(),
    mistral: await startFakeMistral(),
    bedrock: await startFakeBedrock(),
  };
  return {
    urls: Object.fromEntries(Object.entries(fakes).map(([k, f]) => [k, f.url])),
    /** How many requests the fakes had no route for, so far. */
    unexpected: () => Object.values(fakes).reduce((sum, f) => sum + f.counters.unexpected, 0),
    close: () => Promise.all(Object.values(fakes).map((f) => f.close())),
  };
}
