// gemini: `models.generateContent` of `@google/genai`'s `GoogleGenAI` (Gemini API mode), on a plain client (bare) and
// on the adapter's `wrapGemini(client, { module, options })` (traced). Braintrust wraps the module and builds its
// client from `options`; the others wrap the client.
import * as genaiModule from "@google/genai";
import { PROMPT, pairedOps, SYSTEM } from "./common.mjs";

/** `models.generateContent` of `@google/genai`'s `GoogleGenAI` (Gemini API mode). */
export async function geminiScenario({ hooks, urls }) {
  const options = { apiKey: "bench-dummy-key", httpOptions: { baseUrl: urls.gemini } };
  const { GoogleGenAI } = genaiModule;
  const traced = await hooks.wrapGemini(new GoogleGenAI(options), { module: genaiModule, options });
  return pairedOps(new GoogleGenAI(options), traced, async (ai) => {
    const r = await ai.models.generateContent({
      model: "gemini-2.5-flash",
      contents: PROMPT,
      config: { systemInstruction: SYSTEM, temperature: 0 },
    });
    if (!r.text) throw new Error("empty generateContent response");
  });
}
