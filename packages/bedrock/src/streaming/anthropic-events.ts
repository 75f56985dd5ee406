/**
 * Anthropic's Messages stream events, as InvokeModelWithResponseStream chunks carry them for Claude models:
 * `message_start` (id, model, input usage), `content_block_start` (a tool use's id and name), `content_block_delta`
 * (`text_delta`, `input_json_delta`, `thinking_delta`), `message_delta` (stop reason, output usage). Only the
 * aggregate is kept.
 */
import type { TokenUsage } from "@pandaprobe/core";
import { isLoose, type Loose, normalizeTokenUsage } from "@pandaprobe/core/integration";
import { type Reply, replyOf } from "../extract/messages.js";
import { parseToolInput } from "./tool-input.js";

interface Block {
  type: string;
  text: string;
  id?: string;
  name?: string;
}

const EVENTS = new Set([
  "message_start",
  "content_block_start",
  "content_block_delta",
  "content_block_stop",
  "message_delta",
  "message_stop",
  "ping",
]);

export class AnthropicEvents {
  // `declare`d and assigned in the constructor (no class-field [[Define]] per field, once per stream).
  declare private blocks: Block[];
  declare private usage: Loose;
  declare id: string | undefined;
  declare stopReason: string | undefined;

  constructor() {
    this.blocks = [];
    this.usage = {};
    this.id = undefined;
    this.stopReason = undefined;
  }

  static recognises(chunk: Loose): boolean {
    return typeof chunk.type === "string" && EVENTS.has(chunk.type);
  }

  /** Adds one event; returns true when it carried content (text, tool input or thinking). */
  add(chunk: Loose): boolean {
    switch (chunk.type) {
      case "message_start": {
        const message = chunk.message;
        if (!isLoose(message)) return false;
        if (typeof message.id === "string") this.id = message.id;
        if (isLoose(message.usage)) Object.assign(this.usage, message.usage);
        return false;
      }
      case "content_block_start": {
        const block = chunk.content_block;
        if (!isLoose(block)) return false;
        const b = this.block(chunk.index);
        b.type = typeof block.type === "string" ? block.type : "text";
        if (block.type === "tool_use") (b.id = block.id), (b.name = block.name);
        if (typeof block.text === "string") b.text += block.text;
        return false;
      }
      case "content_block_delta": {
        const delta = chunk.delta;
        if (!isLoose(delta)) return false;
        const b = this.block(chunk.index);
        const piece = delta.text ?? delta.partial_json ?? delta.thinking;
        if (typeof piece !== "string") return false;
        if (delta.type === "thinking_delta") b.type = "thinking";
        b.text += piece;
        return piece !== "";
      }
      case "message_delta": {
        const reason = chunk.delta?.stop_reason;
        if (typeof reason === "string") this.stopReason = reason;
        if (isLoose(chunk.usage)) Object.assign(this.usage, chunk.usage);
        return false;
      }
      default:
        return false;
    }
  }

  /** The reply so far, read as a message. */
  reply(): Reply {
    const content: Loose[] = [];
    for (const b of this.blocks) {
      if (!b) continue;
      if (b.type === "tool_use")
        content.push({ type: "tool_use", id: b.id, name: b.name, input: parseToolInput(b.text) });
      else if (b.type === "thinking") content.push({ type: "thinking", thinking: b.text });
      else if (b.type === "redacted_thinking") content.push({ type: "redacted_thinking" });
      else content.push({ type: "text", text: b.text });
    }
    return replyOf(content);
  }

  /** Anthropic's usage (input from `message_start`, output from `message_delta`). */
  tokenUsage(): TokenUsage | undefined {
    return normalizeTokenUsage(this.usage);
  }

  private block(index: unknown): Block {
    const i = typeof index === "number" && index >= 0 && index < 1024 ? index : this.blocks.length;
    return (this.blocks[i] ??= { type: "text", text: "" });
  }
}
