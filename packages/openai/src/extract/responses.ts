/** `responses.create`: request input and the result built from a final `Response` object. */
import { type Loose, pickModelParameters, responsesInputMessages } from "@pandaprobe/core/integration";
import type { Endpoint } from "../endpoint.js";
import { ResponsesStreamAccumulator } from "../streaming/responses-stream.js";
import { responseResult } from "./response-result.js";

export const responsesEndpoint: Endpoint = {
  name: "openai-response",
  kind: "LLM",
  // The input array is copied now and normalised to messages when the span ends.
  capture: (params) => ({
    raw: {
      instructions: params.instructions,
      input: Array.isArray(params.input) ? params.input.slice() : params.input,
    },
  }),
  input: (raw) => ({ messages: responsesInputMessages((raw as Loose).instructions, (raw as Loose).input) }),
  modelParameters: (params) => pickModelParameters(params),
  finish: (call, data) => responseResult(call, data, true),
  stream: (call) => new ResponsesStreamAccumulator(call),
};
