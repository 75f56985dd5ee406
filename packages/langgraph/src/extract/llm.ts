/**
 * What an LLM span records from `handleChatModelStart`/`handleLLMStart` and `handleLLMEnd`:
 * model name, safe model parameters, input/output messages and token usage.
 */
import type { TokenUsage } from "@pandaprobe/core";
import { addTokenUsage, isRecord, normalizeTokenUsage, pickModelParameters } from "@pandaprobe/core/integration";
import { normalizeMessage, normalizeMessages } from "./messages.js";

type Obj = Record<string, unknown>;
const str = (x: unknown): string | undefined => (typeof x === "string" && x ? x : undefined);

/** Requested model: provider metadata (`ls_model_name`) first, then the invocation params. */
export function requestedModel(metadata: Obj | undefined, extraParams: Obj | undefined): string | undefined {
  const inv = isRecord(extraParams?.invocation_params) ? extraParams.invocation_params : undefined;
  return str(metadata?.ls_model_name) ?? str(inv?.model) ?? str(inv?.model_name) ?? str(inv?.modelName);
}

/** Safe model parameters from the invocation params, completed by the `ls_*` provider metadata. */
export function modelParameters(metadata: Obj | undefined, extraParams: Obj | undefined): Obj | undefined {
  const inv = isRecord(extraParams?.invocation_params) ? extraParams.invocation_params : {};
  const merged: Obj = {};
  if (metadata?.ls_temperature !== undefined && metadata.ls_temperature !== null)
    merged.temperature = metadata.ls_temperature;
  if (metadata?.ls_max_tokens !== undefined && metadata.ls_max_tokens !== null)
    merged.max_tokens = metadata.ls_max_tokens;
  if (Array.isArray(metadata?.ls_stop) && metadata.ls_stop.length) merged.stop = metadata.ls_stop;
  for (const k of Object.keys(inv)) if (inv[k] !== undefined && inv[k] !== null && k !== "stream") merged[k] = inv[k];
  return pickModelParameters(merged);
}

/** Names of the tools bound to the call (not their schemas: those can be large). */
export function toolNames(extraParams: Obj | undefined): string[] | undefined {
  const inv = isRecord(extraParams?.invocation_params) ? extraParams.invocation_params : undefined;
  const tools = inv?.tools;
  if (!Array.isArray(tools) || tools.length === 0) return undefined;
  const names = tools
    .map((t) =>
      typeof t === "string"
        ? t
        : isRecord(t)
          ? (str(t.name) ?? (isRecord(t.function) ? str(t.function.name) : undefined))
          : undefined,
    )
    .filter((n): n is string => !!n);
  return names.length ? names : undefined;
}

/** LLM span input: the full conversation (first batch; every batch when there are several). */
export function chatInput(messages: unknown): unknown {
  if (!Array.isArray(messages)) return messages;
  if (messages.length === 1 && Array.isArray(messages[0])) return { messages: normalizeMessages(messages[0]) };
  return messages.map((batch) => (Array.isArray(batch) ? { messages: normalizeMessages(batch) } : batch));
}

/** Text-LLM span input: the prompts as user messages. */
export function promptInput(prompts: unknown): unknown {
  if (!Array.isArray(prompts)) return prompts;
  return { messages: prompts.map((p) => ({ role: "user", content: p })) };
}

interface Generation {
  text?: string;
  message?: Obj;
}

function firstGenerations(output: unknown): Generation[] {
  const gens = isRecord(output) && Array.isArray(output.generations) ? output.generations : [];
  const out: Generation[] = [];
  for (const batch of gens) {
    const g = Array.isArray(batch) ? batch[0] : undefined;
    if (isRecord(g)) out.push(g as Generation);
  }
  return out;
}

/** LLM span output: the assistant message(s), tool calls included. */
export function llmOutput(output: unknown): unknown {
  const gens = firstGenerations(output);
  if (gens.length === 0) return undefined;
  const messages = gens.map(
    (g) => (g.message && normalizeMessage(g.message)) || { role: "assistant", content: g.text ?? "" },
  );
  return { messages };
}

/** Model reported by the provider in the response, if any. */
export function responseModel(output: unknown): string | undefined {
  const [g] = firstGenerations(output);
  const rm = isRecord(g?.message?.response_metadata) ? (g.message.response_metadata as Obj) : undefined;
  const lo = isRecord(output) && isRecord(output.llmOutput) ? output.llmOutput : undefined;
  return str(rm?.model_name) ?? str(rm?.model) ?? str(lo?.model_name) ?? str(lo?.model);
}

/** Usage: `usage_metadata` of the message(s), else the legacy `llmOutput.tokenUsage` / `estimatedTokenUsage`. */
export function llmUsage(output: unknown): TokenUsage | undefined {
  const gens = firstGenerations(output);
  let total: TokenUsage | undefined;
  for (const g of gens) {
    const u = g.message?.usage_metadata;
    const n = u ? normalizeTokenUsage(u) : undefined;
    if (n) total = addTokenUsage(total, n);
  }
  if (total) return total;
  const lo = isRecord(output) && isRecord(output.llmOutput) ? output.llmOutput : undefined;
  return normalizeTokenUsage(lo?.tokenUsage) ?? normalizeTokenUsage(lo?.estimatedTokenUsage);
}
