/**
 * What a model call span records, from the SDK's span data when the span has ended:
 * - `response` spans (OpenAI Responses models): `_input` (the SDK's input items) and `_response` (the Responses API
 *   response: instructions, output items, model, usage, settings). The SDK fills both only with
 *   `traceIncludeSensitiveData` on (its default) and a successful call; otherwise just `response_id`.
 * - `generation` spans (Chat Completions and other models): `input` (chat messages), `output` (the completion or
 *   messages), `model`, `model_config`, `usage`.
 * Usage: OpenAI's own fields through the kit's `normalizeTokenUsage` (`input_tokens` includes the cached tokens,
 * which are also reported as `cache_read_tokens`; `output_tokens` includes the reasoning tokens).
 */
import type { TokenUsage } from "@pandaprobe/core";
import { compact, isRecord, META, normalizeTokenUsage, pickModelParameters } from "@pandaprobe/core/integration";
import { functionCalls, inputMessages, type Message, outputMessages, reasoningSummary } from "./messages.js";

type Obj = Record<string, unknown>;

export interface ModelCall {
  input?: { messages: Message[] };
  output?: { messages: Message[] };
  model?: string;
  usage?: TokenUsage;
  modelParameters?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  /** The function calls the model made, for the tool spans that execute them. */
  calls: Array<{ id: string; name: unknown; arguments: unknown }>;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);

/** Names of the tools offered to the model (function name, else the hosted tool's type). */
function toolNames(tools: unknown): string[] | undefined {
  if (!Array.isArray(tools) || tools.length === 0) return undefined;
  const names: string[] = [];
  for (const t of tools) {
    if (!isRecord(t)) continue;
    const name = str(t.name) ?? (isRecord(t.function) ? str(t.function.name) : undefined) ?? str(t.type);
    if (name) names.push(name);
  }
  return names.length ? names : undefined;
}

/** A `response` span's model call. */
export function responseCall(data: Obj): ModelCall {
  const response = isRecord(data._response) ? data._response : undefined;
  const call: ModelCall = { calls: [] };
  if (data._input !== undefined) call.input = { messages: inputMessages(response?.instructions, data._input) };
  if (!response) {
    call.metadata = compact({ [META.RESPONSE_ID]: str(data.response_id) });
    return call;
  }
  call.output = { messages: outputMessages(response.output) };
  call.model = str(response.model);
  call.usage = normalizeTokenUsage(response.usage);
  call.modelParameters = pickModelParameters(response);
  call.calls = functionCalls(response.output);
  const incomplete = isRecord(response.incomplete_details) ? response.incomplete_details.reason : undefined;
  call.metadata = compact({
    [META.RESPONSE_ID]: str(data.response_id) ?? str(response.id),
    [META.STATUS]: response.status !== "completed" ? str(response.status) : undefined,
    [META.INCOMPLETE_REASON]: str(incomplete),
    [META.REASONING_SUMMARY]: reasoningSummary(response.output),
    [META.TOOLS]: toolNames(response.tools),
  });
  return call;
}

/** A `generation` span's model call. */
export function generationCall(data: Obj): ModelCall {
  const call: ModelCall = { calls: [] };
  if (Array.isArray(data.input)) call.input = { messages: data.input as Message[] };
  const messages: Message[] = [];
  let completion: Obj | undefined;
  for (const out of Array.isArray(data.output) ? data.output : []) {
    if (!isRecord(out)) continue;
    if (Array.isArray(out.choices)) {
      completion ??= out;
      const message = isRecord(out.choices[0]) ? out.choices[0].message : undefined;
      if (isRecord(message)) messages.push({ ...message, role: str(message.role) ?? "assistant" } as Message);
    } else if (typeof out.role === "string") messages.push(out as Message);
    else messages.push(...outputMessages([out]));
  }
  if (data.output !== undefined) call.output = { messages };
  call.model = str(completion?.model) ?? str(data.model);
  call.usage = normalizeTokenUsage(data.usage) ?? normalizeTokenUsage(completion?.usage);
  call.modelParameters = pickModelParameters(data.model_config);
  for (const m of messages) {
    for (const t of Array.isArray(m.tool_calls) ? m.tool_calls : []) {
      if (isRecord(t) && typeof t.id === "string" && isRecord(t.function)) {
        call.calls.push({ id: t.id, name: t.function.name, arguments: t.function.arguments });
      }
    }
  }
  const choice =
    completion && isRecord((completion.choices as unknown[])[0]) ? (completion.choices as Obj[])[0] : undefined;
  call.metadata = compact({
    [META.RESPONSE_ID]: str(completion?.id),
    [META.FINISH_REASON]: str(choice?.finish_reason),
  });
  return call;
}
