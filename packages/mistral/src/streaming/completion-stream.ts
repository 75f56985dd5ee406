/**
 * A streamed chat, agents or FIM completion: the SDK's events are `{ data: CompletionChunk }`. Assembles the first
 * choice's text, reasoning (thinking chunks) and tool calls, the finish reason, model and usage (Mistral sends it
 * in the last chunk). Only the aggregate is kept, never the events.
 */
import { replyMetadata } from "../extract/completion.js";
import { addContent, type ContentParts, replyMessage } from "../extract/messages.js";
import { isLoose, type Loose, META, type ModelResult, type StreamAccumulator } from "@pandaprobe/core/integration";

interface ToolCallAggregate {
  id: unknown;
  type: unknown;
  function: { name: unknown; arguments: unknown };
}

// Fields are `declare`d and assigned in the constructor (one hidden class, no [[Define]] per field).
export class CompletionStreamAccumulator implements StreamAccumulator {
  declare private readonly parts: ContentParts;
  declare private toolCalls: ToolCallAggregate[] | undefined;
  declare private finishReason: unknown;
  declare private model: unknown;
  declare private id: unknown;
  declare private usage: unknown;
  declare private choices: number;

  constructor() {
    this.parts = { text: undefined, reasoning: undefined, other: undefined };
    this.toolCalls = undefined;
    this.finishReason = this.model = this.id = this.usage = undefined;
    this.choices = 0;
  }

  /** True when the event carried output of the first choice (the first one is `completion_start_time`). */
  add(event: unknown): boolean {
    const chunk = isLoose(event) ? event.data : undefined;
    if (!isLoose(chunk)) return false;
    if (this.model === undefined) this.model = chunk.model;
    if (this.id === undefined) this.id = chunk.id;
    if (chunk.usage) this.usage = chunk.usage;
    const choices = chunk.choices;
    if (!Array.isArray(choices)) return false;
    let output = false;
    for (let i = 0; i < choices.length; i++) {
      const choice = choices[i];
      if (!isLoose(choice)) continue;
      const index = typeof choice.index === "number" ? choice.index : 0;
      if (index >= this.choices) this.choices = index + 1;
      if (index !== 0) continue;
      const finish = choice.finishReason ?? choice.finish_reason;
      if (finish) this.finishReason = finish;
      if (isLoose(choice.delta) && this.onDelta(choice.delta)) output = true;
    }
    return output;
  }

  /** True when the delta carried output (text, reasoning, other chunks or tool calls). */
  private onDelta(delta: Loose): boolean {
    let output = addContent(this.parts, delta.content);
    const calls = delta.toolCalls ?? delta.tool_calls;
    if (Array.isArray(calls)) {
      for (const part of calls) if (isLoose(part)) this.onToolCall(part);
      output ||= calls.length > 0;
    }
    return output;
  }

  /**
   * Mistral sends each tool call whole in one delta; should one come in parts, the parts of one call (same id, or no
   * id and the same index) are joined.
   */
  private onToolCall(part: Loose): void {
    const calls = (this.toolCalls ??= []);
    const fn: Loose = isLoose(part.function) ? part.function : {};
    // The SDK fills a missing id with the string "null".
    const id = typeof part.id === "string" && part.id && part.id !== "null" ? part.id : undefined;
    const agg =
      id === undefined
        ? calls[typeof part.index === "number" ? part.index : calls.length - 1]
        : calls.find((c) => c.id === id);
    if (!agg) {
      calls.push({ id: part.id, type: part.type ?? "function", function: { name: fn.name, arguments: fn.arguments } });
      return;
    }
    if (typeof fn.name === "string" && fn.name) {
      agg.function.name = typeof agg.function.name === "string" ? agg.function.name + fn.name : fn.name;
    }
    const args = fn.arguments;
    if (typeof args === "string" && typeof agg.function.arguments === "string") agg.function.arguments += args;
    else if (args !== undefined) agg.function.arguments = args;
  }

  result(completed: boolean): ModelResult {
    const parts = this.parts;
    const metadata = replyMetadata({
      id: this.id,
      finishReason: this.finishReason,
      reasoning: parts.reasoning,
      choices: this.choices,
    });
    metadata[META.STREAMED] = true;
    if (!completed) metadata[META.STREAM_COMPLETED] = false;
    const hasOutput = parts.text !== undefined || parts.other !== undefined || this.toolCalls !== undefined;
    return {
      output: hasOutput ? { messages: [replyMessage(parts, this.toolCalls)] } : undefined,
      model: this.model,
      usage: this.usage,
      metadata,
    };
  }
}
