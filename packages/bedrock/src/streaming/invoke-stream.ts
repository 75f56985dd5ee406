/**
 * InvokeModelWithResponseStream: each event the caller reads is `{ chunk: { bytes } }`, the model's own JSON. The
 * chunk is decoded (a copy: the caller's bytes are untouched) and read by the reader its shape calls for (Anthropic,
 * Converse-shaped Nova, or the plain-text families); the last chunk's `amazon-bedrock-invocationMetrics` gives the
 * usage. Chunks of an unknown shape are kept as they are, up to `RAW_CHUNKS`.
 */
import type { TokenUsage } from "@pandaprobe/core";
import { isLoose, type Loose, META, type ModelResult, type StreamAccumulator } from "@pandaprobe/core/integration";
import { bodyText } from "../extract/body.js";
import { reasoningMetadata } from "../extract/messages.js";
import { invocationMetricsUsage } from "../extract/usage.js";
import { AnthropicEvents } from "./anthropic-events.js";
import { ConverseEvents } from "./converse-events.js";
import { TextChunks } from "./text-chunks.js";

/** How many chunks of an unrecognised shape are kept for the span output. */
const RAW_CHUNKS = 100;
const METRICS = "amazon-bedrock-invocationMetrics";

export class InvokeStreamAccumulator implements StreamAccumulator {
  declare private reader: AnthropicEvents | ConverseEvents | TextChunks | undefined;
  declare private metricsUsage: TokenUsage | undefined;
  declare private raw: unknown[] | undefined;

  constructor() {
    this.reader = undefined;
    this.metricsUsage = undefined;
    this.raw = undefined;
  }

  add(event: unknown): boolean {
    if (!isLoose(event) || !isLoose(event.chunk)) return false;
    const text = bodyText(event.chunk.bytes);
    if (text === undefined) return false;
    let chunk: unknown;
    try {
      chunk = JSON.parse(text);
    } catch {
      chunk = text;
    }
    if (!isLoose(chunk)) return this.keep(chunk);
    if (chunk[METRICS] !== undefined) this.metricsUsage = invocationMetricsUsage(chunk[METRICS]);
    const reader = (this.reader ??= readerFor(chunk));
    return reader ? reader.add(chunk) : this.keep(chunk);
  }

  result(completed: boolean): ModelResult {
    const reader = this.reader;
    const metadata: Loose = { [META.STREAMED]: true };
    if (!completed) metadata[META.STREAM_COMPLETED] = false;
    let output: unknown;
    let usage: TokenUsage | undefined;
    if (reader instanceof TextChunks) {
      output = { messages: [{ role: "assistant", content: reader.text }] };
      usage = reader.tokenUsage();
      if (reader.finishReason) metadata[META.FINISH_REASON] = reader.finishReason;
      if (reader.responseId) metadata[META.RESPONSE_ID] = reader.responseId;
    } else if (reader) {
      const reply = reader.reply();
      output = { messages: [reply.message] };
      usage = reader instanceof AnthropicEvents ? reader.tokenUsage() : reader.usage;
      if (reader.stopReason) metadata[META.FINISH_REASON] = reader.stopReason;
      if (reader instanceof AnthropicEvents && reader.id) metadata[META.RESPONSE_ID] = reader.id;
      Object.assign(metadata, reasoningMetadata(reply));
    } else if (this.raw) {
      output = { chunks: this.raw };
    }
    return { output, usage: this.metricsUsage ?? usage, metadata };
  }

  private keep(chunk: unknown): boolean {
    const raw = (this.raw ??= []);
    if (raw.length < RAW_CHUNKS) raw.push(chunk);
    return false;
  }
}

function readerFor(chunk: Loose): AnthropicEvents | ConverseEvents | TextChunks | undefined {
  if (AnthropicEvents.recognises(chunk)) return new AnthropicEvents();
  if (ConverseEvents.recognises(chunk)) return new ConverseEvents();
  if (TextChunks.recognises(chunk)) return new TextChunks();
  return undefined;
}
