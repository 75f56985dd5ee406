/** Reads the attributes the AI SDK (5 and 6) sets on its OpenTelemetry spans (`ai.*`). */
import type { TokenUsage } from "@pandaprobe/core";
import {
  type EmbeddingsSummary,
  normalizeTokenUsage,
  parseJsonOrRaw,
  pickModelParameters,
  summarizeEmbeddings,
} from "@pandaprobe/core/integration";
import { assistantMessage, toMessages } from "./messages.js";

/** Attributes the AI SDK sets on its spans (`ai.*`, `gen_ai.*`). */
export type Attrs = Record<string, unknown>;

/** A span's attributes after one pass: the `ai.usage.*`, `ai.settings.*` and metadata keys grouped. */
export interface SpanAttributes {
  /** Every other attribute (last value wins). */
  attrs: Attrs;
  /** `ai.usage.*`, nested by the dotted rest of the key (`inputTokenDetails.cacheReadTokens`). */
  usage: Attrs | undefined;
  /** `ai.settings.*` without the prefix. */
  settings: Attrs | undefined;
  /** `ai.telemetry.metadata.*` without the prefix (the call's `experimental_telemetry.metadata`). */
  metadata: Attrs | undefined;
}

const USAGE = "ai.usage.";
const SETTINGS = "ai.settings.";
/** `experimental_telemetry.metadata.<key>` arrives as this prefix plus the key. */
export const METADATA_PREFIX = "ai.telemetry.metadata.";

/**
 * Merges the `ai.*` attributes a span received (in order) in ONE pass, grouping the prefixed keys;
 * the `gen_ai.*` duplicates are skipped. Runs when the span is recorded, off the caller's path.
 */
export function collectAttributes(bags: readonly Attrs[]): SpanAttributes {
  const out: SpanAttributes = { attrs: {}, usage: undefined, settings: undefined, metadata: undefined };
  for (let i = 0; i < bags.length; i++) {
    const bag = bags[i];
    for (const key in bag) {
      const value = bag[key];
      if (value === undefined || !key.startsWith("ai.")) continue;
      // The 4th character tells the grouped prefixes apart before the full comparison.
      const c = key.charCodeAt(3);
      if (c === 117 /* u */ && key.startsWith(USAGE)) putUsage((out.usage ??= {}), key.slice(USAGE.length), value);
      else if (c === 115 /* s */ && key.startsWith(SETTINGS)) (out.settings ??= {})[key.slice(SETTINGS.length)] = value;
      else if (c === 116 /* t */ && key.startsWith(METADATA_PREFIX))
        (out.metadata ??= {})[key.slice(METADATA_PREFIX.length)] = value;
      else out.attrs[key] = value;
    }
  }
  return out;
}

function putUsage(usage: Attrs, path: string, value: unknown): void {
  const dot = path.indexOf(".");
  if (dot < 0) usage[path] = value;
  else {
    const group = path.slice(0, dot);
    const inner = usage[group];
    const target = inner && typeof inner === "object" ? (inner as Attrs) : (usage[group] = {} as Attrs);
    target[path.slice(dot + 1)] = value;
  }
}

/** Model parameters from `ai.settings.*` (known, safe keys only). */
export function modelParameters(a: SpanAttributes): Record<string, unknown> | undefined {
  return a.settings ? pickModelParameters(a.settings) : undefined;
}

/** Root-span input: `ai.prompt` (`{ system, prompt, messages }`) as messages, or embedding values. */
export function rootInput(attrs: Attrs): unknown {
  if (attrs["ai.values"] !== undefined) return parseJsonList(attrs["ai.values"]);
  if (attrs["ai.value"] !== undefined) return parseJsonOrRaw(attrs["ai.value"]);
  const prompt = parseJsonOrRaw(attrs["ai.prompt"]);
  if (!prompt || typeof prompt !== "object") return prompt;
  const messages = toMessages(prompt as Record<string, unknown>);
  return messages ? { messages } : undefined;
}

/** Output of a text/object call or model call (`ai.response.*`); undefined when not recorded. */
export function responseOutput(attrs: Attrs): unknown {
  if (attrs["ai.response.object"] !== undefined) return parseJsonOrRaw(attrs["ai.response.object"]);
  const text = attrs["ai.response.text"];
  const toolCalls = parseJsonOrRaw(attrs["ai.response.toolCalls"]);
  if (text === undefined && !Array.isArray(toolCalls)) return undefined;
  const calls = Array.isArray(toolCalls) ? toolCalls : undefined;
  return { messages: [assistantMessage(text, calls, attrs["ai.response.reasoning"])] };
}

/** Model-call input: `ai.prompt.messages` plus the tool definitions (`ai.prompt.tools`). */
export function modelInput(attrs: Attrs): unknown {
  const messages = parseJsonOrRaw(attrs["ai.prompt.messages"]);
  if (messages === undefined) return undefined;
  const tools = Array.isArray(attrs["ai.prompt.tools"])
    ? (attrs["ai.prompt.tools"] as unknown[]).map((v) => parseJsonOrRaw(v))
    : undefined;
  return tools?.length ? { messages, tools } : { messages };
}

/** Usage of a leaf model call from `ai.usage.*` (root usage is ignored: v5 reports only the last step there). */
export function modelUsage(a: SpanAttributes): TokenUsage | undefined {
  return a.usage ? normalizeTokenUsage(a.usage) : undefined;
}

/** Time to first chunk in ms (`ai.response.msToFirstChunk` / `ai.stream.msToFirstChunk`). */
export function msToFirstChunk(attrs: Attrs): number | undefined {
  const v = attrs["ai.response.msToFirstChunk"] ?? attrs["ai.stream.msToFirstChunk"];
  return typeof v === "number" ? v : undefined;
}

/** `{ embeddings, dimensions }` of `ai.embeddings` / `ai.embedding` (never the vectors). */
export function embeddingCount(attrs: Attrs): EmbeddingsSummary | undefined {
  const list = attrs["ai.embeddings"] ?? (attrs["ai.embedding"] !== undefined ? [attrs["ai.embedding"]] : undefined);
  return summarizeEmbeddings(list);
}

function parseJsonList(value: unknown): unknown {
  return Array.isArray(value) ? value.map((v) => parseJsonOrRaw(v)) : parseJsonOrRaw(value);
}
