/** `messages.create` (and `beta.messages.create`, which `parse`, `stream()` and the tool runner call): an LLM span. */
import { isLoose, type Loose, META, pickModelParameters } from "@pandaprobe/core/integration";
import type { Endpoint } from "../endpoint.js";
import { MessageAccumulator } from "../streaming/message-accumulator.js";
import { captureInput, inputMessages, type RawInput } from "./message-input.js";
import { messageResult } from "./message-output.js";

export const messagesEndpoint: Endpoint = {
  name: "anthropic-messages",
  kind: "LLM",
  capture: captureInput,
  input: (raw) => inputMessages(raw as RawInput),
  modelParameters,
  metadata: (params) => {
    const names = toolNames(params.tools);
    return names ? { [META.TOOLS]: names } : undefined;
  },
  finish: (call, data) => messageResult(call, data),
  stream: (call) => new MessageAccumulator(call),
};

/**
 * The core's safe parameters (`max_tokens`, `temperature`, `top_p`, `top_k`, `stop_sequences`, `tool_choice`,
 * `service_tier`, `stream`), plus Anthropic's `thinking` (its type and budget) and `output_config` (the effort and
 * the output format's type, never its schema).
 */
export function modelParameters(params: Loose): Record<string, unknown> | undefined {
  const out = pickModelParameters(params) ?? {};
  if (isLoose(params.thinking)) out.thinking = params.thinking;
  const config = params.output_config;
  if (isLoose(config)) {
    if (config.effort !== undefined) out.effort = config.effort;
    if (isLoose(config.format)) out.output_format = config.format.type;
  }
  if (isLoose(params.output_format)) out.output_format = params.output_format.type; // beta structured outputs
  return Object.keys(out).length ? out : undefined;
}

/** Names of the tools offered to the model (never their schemas). */
function toolNames(tools: unknown): string[] | undefined {
  if (!Array.isArray(tools) || tools.length === 0) return undefined;
  const names: string[] = [];
  for (const tool of tools) {
    if (!isLoose(tool)) continue;
    const name = typeof tool.name === "string" ? tool.name : tool.type;
    if (typeof name === "string") names.push(name);
  }
  return names.length ? names : undefined;
}
