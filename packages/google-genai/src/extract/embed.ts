/** `models.embedContent`: an EMBEDDING span with the texts, model, dimensions and usage (never the vectors). */
import { isLoose, summarizeEmbeddings } from "@pandaprobe/core/integration";
import type { Endpoint } from "../endpoint.js";
import { emptySummary, summarizeParts } from "./parts.js";
import { modelParameters } from "./parameters.js";
import { embeddingUsage } from "./usage.js";

export const embedEndpoint: Endpoint = {
  name: "gemini-embedding",
  kind: "EMBEDDING",
  streams: false,
  capture: (params) => (Array.isArray(params.contents) ? params.contents.slice() : params.contents),
  input: (contents) => {
    const input = Array.isArray(contents) ? contents.map(text) : [text(contents)];
    // A standalone trace follows the messages convention: the texts as the user's message, no output.
    return { input, traceInput: { messages: [{ role: "user", content: input }] } };
  },
  modelParameters,
  finish: (data) => {
    if (!isLoose(data)) return {};
    const vectors = Array.isArray(data.embeddings)
      ? data.embeddings.map((e: unknown) => (isLoose(e) ? e.values : e))
      : [];
    return { output: summarizeEmbeddings(vectors), traceOutput: undefined, usage: embeddingUsage(data) };
  },
};

/** One embedded value as text (a string, a part, or a content's text parts); media is described. */
function text(value: unknown): unknown {
  if (typeof value === "string") return value;
  const s = emptySummary();
  summarizeParts(isLoose(value) && Array.isArray(value.parts) ? value.parts : [value], s);
  return s.blocks.length ? [...s.text.map((t) => ({ type: "text", text: t })), ...s.blocks] : s.text.join("\n");
}
