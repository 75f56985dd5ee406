/**
 * A streamed Message, assembled event by event the way the SDK's `MessageStream` does (`message_start`,
 * `content_block_start/delta/stop`, `message_delta`, `message_stop`), keeping only the aggregate: text, thinking and
 * tool input JSON as strings, result blocks as they arrive, and when each block started and stopped (for tool spans).
 */
import {
  isLoose,
  type Loose,
  META,
  type ModelResult,
  nowMs,
  parseJsonOrRaw,
  type StreamAccumulator,
} from "@pandaprobe/core/integration";
import type { CallRecorder } from "../call-recorder.js";
import { messageResult } from "../extract/message-output.js";
import type { BlockTimes } from "../extract/tool-spans.js";

// Fields are `declare`d and assigned in the constructor (no class-field [[Define]] per field, once per stream).
export class MessageAccumulator implements StreamAccumulator {
  declare private message: Loose | undefined;
  declare private readonly blocks: Loose[];
  /** Tool input JSON received so far, by block index (parsed when the result is built). */
  declare private readonly json: string[];
  declare private readonly times: BlockTimes;
  declare private readonly call: CallRecorder;

  constructor(call: CallRecorder) {
    this.call = call;
    this.message = undefined;
    this.blocks = [];
    this.json = [];
    this.times = { start: [], stop: [] };
  }

  /** True for the deltas that carry content (text, tool input, thinking). */
  add(event: unknown): boolean {
    if (!isLoose(event)) return false;
    switch (event.type) {
      case "message_start":
        if (isLoose(event.message)) {
          const usage = isLoose(event.message.usage) ? { ...event.message.usage } : undefined;
          this.message = { ...event.message, content: this.blocks, usage };
        }
        return false;
      case "content_block_start": {
        const index = typeof event.index === "number" ? event.index : this.blocks.length;
        if (isLoose(event.content_block)) this.blocks[index] = { ...event.content_block };
        this.times.start[index] = nowMs();
        return false;
      }
      case "content_block_delta":
        return this.delta(event.index, event.delta);
      case "content_block_stop":
        if (typeof event.index === "number") this.times.stop[event.index] = nowMs();
        return false;
      case "message_delta":
        this.messageDelta(event);
        return false;
    }
    return false;
  }

  private delta(index: unknown, delta: unknown): boolean {
    if (typeof index !== "number" || !isLoose(delta)) return false;
    const block = this.blocks[index];
    if (!block) return false;
    switch (delta.type) {
      case "text_delta":
        if (typeof delta.text === "string") block.text = (block.text ?? "") + delta.text;
        break;
      case "input_json_delta":
        if (typeof delta.partial_json === "string") this.json[index] = (this.json[index] ?? "") + delta.partial_json;
        break;
      case "thinking_delta":
        if (typeof delta.thinking === "string") block.thinking = (block.thinking ?? "") + delta.thinking;
        break;
      default:
        return false; // signature_delta, citations_delta: nothing the span records
    }
    return true;
  }

  private messageDelta(event: Loose): void {
    const message = this.message;
    if (!message) return;
    if (isLoose(event.delta) && event.delta.stop_reason != null) message.stop_reason = event.delta.stop_reason;
    // Counters in `message_delta` are whole-message totals, sent when they apply: they replace, never add.
    const usage = event.usage;
    if (!isLoose(usage)) return;
    const into = (message.usage ??= {});
    for (const key in usage) if (usage[key] != null) into[key] = usage[key];
  }

  result(completed: boolean): ModelResult {
    const message = this.message;
    if (!message) {
      const metadata = { [META.STREAMED]: true, ...(completed ? undefined : { [META.STREAM_COMPLETED]: false }) };
      return { metadata };
    }
    for (let i = 0; i < this.json.length; i++) {
      const json = this.json[i];
      if (json !== undefined && this.blocks[i]) this.blocks[i].input = parseJsonOrRaw(json);
    }
    const result = messageResult(this.call, message, this.times);
    result.metadata = { ...result.metadata, [META.STREAMED]: true };
    if (!completed) result.metadata[META.STREAM_COMPLETED] = false;
    return result;
  }
}
