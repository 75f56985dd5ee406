/** `embeddings.create`: an EMBEDDING span with the input, model, dimensions and usage (never the vectors). */
import { isLoose, pickModelParameters, summarizeEmbeddings } from "@pandaprobe/core/integration";
import type { Endpoint } from "../endpoint.js";

export const embeddingsEndpoint: Endpoint = {
  name: "openai-embedding",
  kind: "EMBEDDING",
  capture: (params) => {
    const input = Array.isArray(params.input) ? params.input.slice() : params.input;
    // A standalone trace follows the messages convention: the texts as the user's message, no output.
    return { input, traceInput: { messages: [{ role: "user", content: input }] } };
  },
  modelParameters: (params) => {
    const picked = pickModelParameters(params);
    return params.dimensions === undefined ? picked : { ...picked, dimensions: params.dimensions };
  },
  finish: (_call, data) => {
    if (!isLoose(data)) return {};
    const output = summarizeEmbeddings(Array.isArray(data.data) ? data.data : []);
    return { output, traceOutput: undefined, model: data.model, usage: data.usage };
  },
};
