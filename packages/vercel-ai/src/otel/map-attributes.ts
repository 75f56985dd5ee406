import { pickModelParameters, type TokenUsage } from "@pandaprobe/core";
import { assistantMessage, parseJson, toMessages } from "../shared/messages.js";
import { embeddingUsage, toTokenUsage } from "../shared/usage.js";

/** Attributes the AI SDK sets on its spans (`ai.*`, `gen_ai.*`). */
export type Attrs = Record<string, unknown>;

const METADATA_PREFIX = "ai.telemetry.metadata.";
const SETTINGS_PREFIX = "ai.settings.";

/** `experimental_telemetry.metadata` of the call (`ai.telemetry.metadata.<key>`). */
export function telemetryMetadata(attrs: Attrs): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const key in attrs) {
    if (key.startsWith(METADATA_PREFIX)) (out ??= {})[key.slice(METADATA_PREFIX.length)] = attrs[key];
  }
  return out;
}

/** Model parameters from `ai.settings.*` (known, safe keys only). */
export function modelParameters(attrs: Attrs): Record<string, unknown> | undefined {
  let settings: Record<string, unknown> | undefined;
  for (const key in attrs) {
    if (key.startsWith(SETTINGS_PREFIX)) (settings ??= {})[key.slice(SETTINGS_PREFIX.length)] = attrs[key];
  }
  return settings ? pickModelParameters(settings) : undefined;
}

/** Root-span input: `ai.prompt` (`{ system, prompt, messages }`) as messages, or embedding values. */
export function rootInput(attrs: Attrs): unknown {
  if (attrs["ai.values"] !== undefined) return parseJsonList(attrs["ai.values"]);
  if (attrs["ai.value"] !== undefined) return parseJson(attrs["ai.value"]);
  const prompt = parseJson(attrs["ai.prompt"]);
  if (!prompt || typeof prompt !== "object") return prompt;
  const messages = toMessages(prompt as Record<string, unknown>);
  return messages ? { messages } : undefined;
}

/** Output of a text/object call or model call (`ai.response.*`); undefined when not recorded. */
export function responseOutput(attrs: Attrs): unknown {
  if (attrs["ai.response.object"] !== undefined) return parseJson(attrs["ai.response.object"]);
  const text = attrs["ai.response.text"];
  const toolCalls = parseJson(attrs["ai.response.toolCalls"]);
  if (text === undefined && !Array.isArray(toolCalls)) return undefined;
  const calls = Array.isArray(toolCalls) ? toolCalls : undefined;
  return { messages: [assistantMessage(text, calls, attrs["ai.response.reasoning"])] };
}

/** Model-call input: `ai.prompt.messages` plus the tool definitions (`ai.prompt.tools`). */
export function modelInput(attrs: Attrs): unknown {
  const messages = parseJson(attrs["ai.prompt.messages"]);
  if (messages === undefined) return undefined;
  const tools = Array.isArray(attrs["ai.prompt.tools"]) ? (attrs["ai.prompt.tools"] as unknown[]).map(parseJson) : undefined;
  return tools?.length ? { messages, tools } : { messages };
}

/** Usage of a leaf model call from `ai.usage.*` (root usage is ignored: v5 reports only the last step there). */
export function modelUsage(attrs: Attrs): TokenUsage | undefined {
  if (attrs["ai.usage.tokens"] !== undefined) return embeddingUsage({ tokens: attrs["ai.usage.tokens"] });
  const raw: Record<string, unknown> = {};
  let found = false;
  for (const key in attrs) {
    if (!key.startsWith("ai.usage.")) continue;
    found = true;
    const path = key.slice("ai.usage.".length).split(".");
    if (path.length === 1) raw[path[0]] = attrs[key];
    else ((raw[path[0]] ??= {}) as Record<string, unknown>)[path[1]] = attrs[key];
  }
  return found ? toTokenUsage(raw) : undefined;
}

/** Time to first chunk in ms (`ai.response.msToFirstChunk` / `ai.stream.msToFirstChunk`). */
export function msToFirstChunk(attrs: Attrs): number | undefined {
  const v = attrs["ai.response.msToFirstChunk"] ?? attrs["ai.stream.msToFirstChunk"];
  return typeof v === "number" ? v : undefined;
}

function parseJsonList(value: unknown): unknown {
  return Array.isArray(value) ? value.map(parseJson) : parseJson(value);
}
