/**
 * `messages.countTokens`: no model generates anything, so no LLM span and no trace of its own. Inside an active
 * trace or span it is a cheap `OTHER` span (its latency is part of the run) with the model and the count as output;
 * the conversation it counted is not recorded again (the LLM spans around it carry it).
 */
import { isLoose } from "@pandaprobe/core/integration";
import type { Endpoint } from "../endpoint.js";

export const countTokensEndpoint: Endpoint = {
  name: "anthropic-count-tokens",
  kind: "OTHER",
  nestedOnly: true,
  capture: () => undefined,
  input: () => undefined,
  finish: (_call, data) => (isLoose(data) ? { output: { input_tokens: data.input_tokens } } : {}),
};
