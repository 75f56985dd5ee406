/**
 * Streamed chat completion: assembles the first choice (content, refusal, tool-call deltas),
 * finish reason, model and usage incrementally. Only the aggregate is kept.
 */
import { isLoose, type Loose, META, type ModelResult, type StreamAccumulator } from "@pandaprobe/core/integration";

interface ToolCallAggregate {
  id?: string;
  type: string;
  function: { name: string; arguments: string };
}

// Fields are `declare`d and assigned in the constructor (no class-field [[Define]] per field, once per stream).
export class ChatStreamAccumulator implements StreamAccumulator {
  declare private content: string | undefined;
  declare private refusal: string | undefined;
  declare private toolCalls: ToolCallAggregate[] | undefined;
  declare private functionCall: { name: string; arguments: string } | undefined;
  declare private finishReason: string | undefined;
  declare private model: string | undefined;
  declare private id: string | undefined;
  declare private usage: unknown;

  constructor() {
    this.content = this.refusal = this.finishReason = this.model = this.id = undefined;
    this.toolCalls = undefined;
    this.functionCall = undefined;
    this.usage = undefined;
  }

  /** True when the chunk carried output (content, refusal, tool-call or function-call deltas). */
  add(chunk: unknown): boolean {
    if (!isLoose(chunk)) return false;
    if (this.model === undefined && typeof chunk.model === "string") this.model = chunk.model;
    if (this.id === undefined && typeof chunk.id === "string") this.id = chunk.id;
    if (chunk.usage) this.usage = chunk.usage;
    const choices = chunk.choices;
    if (!Array.isArray(choices)) return false;
    let output = false;
    for (let i = 0; i < choices.length; i++) {
      const choice = choices[i];
      if (!isLoose(choice) || (choice.index ?? 0) !== 0) continue;
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
      const delta = choice.delta;
      if (isLoose(delta) && this.onDelta(delta)) output = true;
    }
    return output;
  }

  private onDelta(delta: Loose): boolean {
    let output = false;
    if (typeof delta.content === "string" && delta.content !== "") {
      this.content = (this.content ?? "") + delta.content;
      output = true;
    }
    if (typeof delta.refusal === "string" && delta.refusal !== "") {
      this.refusal = (this.refusal ?? "") + delta.refusal;
      output = true;
    }
    if (Array.isArray(delta.tool_calls)) {
      for (const part of delta.tool_calls) this.onToolCallDelta(part);
      output = true;
    }
    if (isLoose(delta.function_call)) {
      const f = (this.functionCall ??= { name: "", arguments: "" });
      if (typeof delta.function_call.name === "string") f.name += delta.function_call.name;
      if (typeof delta.function_call.arguments === "string") f.arguments += delta.function_call.arguments;
      output = true;
    }
    return output;
  }

  private onToolCallDelta(part: unknown): void {
    if (!isLoose(part)) return;
    const calls = (this.toolCalls ??= []);
    const index = typeof part.index === "number" ? part.index : calls.length;
    const agg = (calls[index] ??= { type: "function", function: { name: "", arguments: "" } });
    if (typeof part.id === "string") agg.id = part.id;
    if (typeof part.type === "string") agg.type = part.type;
    const fn = part.function;
    if (isLoose(fn)) {
      if (typeof fn.name === "string") agg.function.name += fn.name;
      if (typeof fn.arguments === "string") agg.function.arguments += fn.arguments;
    }
  }

  result(completed: boolean): ModelResult {
    const message: Loose = { role: "assistant", content: this.content ?? null };
    if (this.refusal !== undefined) message.refusal = this.refusal;
    if (this.toolCalls) message.tool_calls = this.toolCalls.filter(Boolean);
    if (this.functionCall) message.function_call = this.functionCall;
    const metadata: Record<string, unknown> = { [META.STREAMED]: true };
    if (this.finishReason) metadata[META.FINISH_REASON] = this.finishReason;
    if (this.id) metadata[META.RESPONSE_ID] = this.id;
    if (this.refusal !== undefined) metadata[META.REFUSAL] = this.refusal;
    if (!completed) metadata[META.STREAM_COMPLETED] = false;
    const hasOutput = this.content !== undefined || this.refusal !== undefined || this.toolCalls || this.functionCall;
    return {
      output: hasOutput ? { messages: [message] } : undefined,
      model: this.model,
      usage: this.usage,
      metadata,
    };
  }
}
