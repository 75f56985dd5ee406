/**
 * A streamed `generateContent` (or chat turn): assembles the first candidate's text, thoughts and function calls,
 * the finish reason, model version, response id and usage, chunk by chunk. Only the aggregate is kept.
 *
 * With automatic function calling the SDK runs several requests in one stream and yields the tool results as a
 * chunk of role `user`: the rounds before it become tool calls and tool messages, and each request's usage (the last
 * `usageMetadata` it reported: Gemini sends running totals) is added once.
 */
import type { TokenUsage } from "@pandaprobe/core";
import {
  addTokenUsage,
  isLoose,
  type Loose,
  META,
  type ModelResult,
  type StreamAccumulator,
} from "@pandaprobe/core/integration";
import { contentMessages, emptySummary, type PartsSummary, summarizeParts } from "../extract/parts.js";
import { noteResponse, noteThoughts } from "../extract/response.js";
import { geminiUsage } from "../extract/usage.js";

// Fields are `declare`d and assigned in the constructor (no class-field [[Define]] per field, once per stream).
export class GenerateStreamAccumulator implements StreamAccumulator {
  /** The model's parts of the current request. */
  declare private current: PartsSummary;
  /** Messages of finished automatic-function-calling rounds. */
  declare private rounds: Loose[] | undefined;
  declare private thoughts: string[] | undefined;
  declare private finishReason: string | undefined;
  declare private model: string | undefined;
  declare private last: Loose | undefined;
  /** The last usage report of the current request, and the sum over the finished ones. */
  declare private usage: unknown;
  declare private pastUsage: TokenUsage | undefined;

  constructor() {
    this.current = emptySummary();
    this.rounds = undefined;
    this.thoughts = undefined;
    this.finishReason = this.model = undefined;
    this.last = undefined;
    this.usage = undefined;
    this.pastUsage = undefined;
  }

  /** True for a chunk with the model's parts (the first one is `completion_start_time`). */
  add(chunk: unknown): boolean {
    if (!isLoose(chunk)) return false;
    this.last = chunk;
    if (chunk.usageMetadata) this.usage = chunk.usageMetadata;
    if (typeof chunk.modelVersion === "string") this.model = chunk.modelVersion;
    const candidate = Array.isArray(chunk.candidates) ? chunk.candidates[0] : undefined;
    if (!isLoose(candidate)) return false;
    if (typeof candidate.finishReason === "string") this.finishReason = candidate.finishReason;
    const content = candidate.content;
    if (!isLoose(content) || !Array.isArray(content.parts) || content.parts.length === 0) return false;
    if (content.role === "user") {
      this.endRound(content.parts);
      return false;
    }
    summarizeParts(content.parts, this.current);
    return true;
  }

  /** The SDK ran the tools the model called and sends their results: the next request starts. */
  private endRound(parts: unknown[]): void {
    const rounds = (this.rounds ??= []);
    const model = this.current;
    contentMessages("assistant", model, "", rounds);
    contentMessages("user", summarizeParts(parts, emptySummary()), "", rounds);
    if (model.thoughts.length) (this.thoughts ??= []).push(...model.thoughts);
    this.current = emptySummary();
    this.pastUsage = addTokenUsage(this.pastUsage, geminiUsage(this.usage));
    this.usage = undefined;
  }

  result(completed: boolean): ModelResult {
    const s = this.current;
    if (this.thoughts) s.thoughts.unshift(...this.thoughts);
    const messages: Loose[] = this.rounds ? this.rounds.slice() : [];
    const hasOutput = s.text.length > 0 || s.toolCalls.length > 0 || s.blocks.length > 0;
    if (hasOutput) contentMessages("assistant", s, "", messages);
    const metadata: Record<string, unknown> = { [META.STREAMED]: true };
    noteThoughts(s, metadata);
    if (this.finishReason) metadata[META.FINISH_REASON] = this.finishReason;
    if (this.last) noteResponse(this.last, metadata);
    if (!completed) metadata[META.STREAM_COMPLETED] = false;
    return {
      output: messages.length ? { messages } : undefined,
      model: this.model,
      usage: addTokenUsage(this.pastUsage, geminiUsage(this.usage)),
      metadata,
    };
  }
}
