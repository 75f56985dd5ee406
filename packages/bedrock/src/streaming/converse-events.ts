/**
 * The Converse event sequence, aggregated: `messageStart`, `contentBlockStart` (a tool use's id and name),
 * `contentBlockDelta` (text, tool input JSON, reasoning), `contentBlockStop`, `messageStop` (stop reason) and
 * `metadata` (usage). ConverseStream sends it as event-stream events; Amazon Nova's InvokeModelWithResponseStream
 * chunks carry the same events as JSON. Only the aggregate is kept.
 */
import type { TokenUsage } from "@pandaprobe/core";
import { type Reply, replyOf } from "../extract/messages.js";
import { converseUsage } from "../extract/usage.js";
import { isLoose, type Loose } from "@pandaprobe/core/integration";
import { parseToolInput } from "./tool-input.js";

interface Block {
  text?: string;
  toolUse?: { toolUseId?: string; name?: string; input: string };
  reasoning?: string;
  redacted?: boolean;
}

export class ConverseEvents {
  // `declare`d and assigned in the constructor (no class-field [[Define]] per field, once per stream).
  declare private blocks: Block[];
  declare role: string;
  declare stopReason: string | undefined;
  declare usage: TokenUsage | undefined;

  constructor() {
    this.blocks = [];
    this.role = "assistant";
    this.stopReason = undefined;
    this.usage = undefined;
  }

  /** Whether `event` is one of the Converse events (a Nova chunk is recognised by this). */
  static recognises(event: Loose): boolean {
    return (
      event.messageStart !== undefined ||
      event.contentBlockDelta !== undefined ||
      event.contentBlockStart !== undefined ||
      event.contentBlockStop !== undefined ||
      event.messageStop !== undefined ||
      event.metadata !== undefined
    );
  }

  /** Adds one event; returns true when it carried content (text, tool input or reasoning). */
  add(event: Loose): boolean {
    const delta = event.contentBlockDelta;
    if (isLoose(delta)) return this.onDelta(delta);
    const start = event.contentBlockStart;
    if (isLoose(start) && isLoose(start.start?.toolUse)) {
      const use = start.start.toolUse;
      this.block(start.contentBlockIndex).toolUse = { toolUseId: use.toolUseId, name: use.name, input: "" };
      return false;
    }
    if (isLoose(event.messageStart) && typeof event.messageStart.role === "string") {
      this.role = event.messageStart.role;
    } else if (isLoose(event.messageStop)) {
      if (typeof event.messageStop.stopReason === "string") this.stopReason = event.messageStop.stopReason;
    } else if (isLoose(event.metadata)) {
      this.usage = converseUsage(event.metadata.usage) ?? this.usage;
    }
    return false;
  }

  /** The reply so far, in Converse's content-block shape, read as a message. */
  reply(): Reply {
    const content: Loose[] = [];
    for (const b of this.blocks) {
      if (!b) continue;
      if (b.reasoning !== undefined) content.push({ reasoningContent: { reasoningText: { text: b.reasoning } } });
      if (b.redacted) content.push({ reasoningContent: { redactedContent: true } });
      if (b.text !== undefined) content.push({ text: b.text });
      if (b.toolUse) content.push({ toolUse: { ...b.toolUse, input: parseToolInput(b.toolUse.input) } });
    }
    return replyOf(content, this.role);
  }

  private onDelta(event: Loose): boolean {
    const delta = event.delta;
    if (!isLoose(delta)) return false;
    const block = this.block(event.contentBlockIndex);
    if (typeof delta.text === "string") {
      block.text = (block.text ?? "") + delta.text;
      return delta.text !== "";
    }
    if (isLoose(delta.toolUse) && typeof delta.toolUse.input === "string") {
      (block.toolUse ??= { input: "" }).input += delta.toolUse.input;
      return true;
    }
    if (isLoose(delta.reasoningContent)) {
      const text = delta.reasoningContent.text;
      if (typeof text === "string") block.reasoning = (block.reasoning ?? "") + text;
      if (delta.reasoningContent.redactedContent !== undefined) block.redacted = true;
      return true;
    }
    return false;
  }

  private block(index: unknown): Block {
    const i = typeof index === "number" && index >= 0 && index < 1024 ? index : this.blocks.length;
    return (this.blocks[i] ??= {});
  }
}
