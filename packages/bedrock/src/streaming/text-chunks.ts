/**
 * Stream chunks of the model families that stream plain text pieces (InvokeModelWithResponseStream): Amazon Titan
 * (`outputText`), Meta Llama (`generation`), Mistral (`outputs[0].text`, or `choices[0]` for chat), OpenAI-compatible
 * models (`choices[0].delta`), Cohere Command (`text`) and Command R (`event_type: "text-generation"`). Only the
 * aggregate is kept.
 */
import type { TokenUsage } from "@pandaprobe/core";
import { isLoose, type Loose, normalizeTokenUsage } from "@pandaprobe/core/integration";
import { bedrockUsage } from "../extract/usage.js";
import { num, str } from "../values.js";

export class TextChunks {
  // `declare`d and assigned in the constructor (no class-field [[Define]] per field, once per stream).
  declare text: string;
  declare finishReason: string | undefined;
  declare responseId: string | undefined;
  declare private input: number | undefined;
  declare private output: number | undefined;
  declare private usage: TokenUsage | undefined;

  constructor() {
    this.text = "";
    this.finishReason = this.responseId = undefined;
    this.input = this.output = undefined;
    this.usage = undefined;
  }

  static recognises(chunk: Loose): boolean {
    return (
      typeof chunk.outputText === "string" ||
      typeof chunk.generation === "string" ||
      Array.isArray(chunk.outputs) ||
      Array.isArray(chunk.choices) ||
      typeof chunk.event_type === "string" ||
      typeof chunk.is_finished === "boolean"
    );
  }

  /** Adds one chunk; returns true when it carried text. */
  add(chunk: Loose): boolean {
    let piece: unknown;
    let reason: unknown;
    if (typeof chunk.outputText === "string") {
      // Amazon Titan
      piece = chunk.outputText;
      reason = chunk.completionReason;
      this.input = num(chunk.inputTextTokenCount) ?? this.input;
      this.output = num(chunk.totalOutputTextTokenCount) ?? this.output;
    } else if (typeof chunk.generation === "string") {
      // Meta Llama
      piece = chunk.generation;
      reason = chunk.stop_reason;
      this.input = num(chunk.prompt_token_count) ?? this.input;
      this.output = num(chunk.generation_token_count) ?? this.output;
    } else if (Array.isArray(chunk.outputs)) {
      // Mistral text completion
      piece = chunk.outputs[0]?.text;
      reason = chunk.outputs[0]?.stop_reason;
    } else if (Array.isArray(chunk.choices)) {
      // Mistral chat, OpenAI-compatible models
      const choice: Loose = isLoose(chunk.choices[0]) ? chunk.choices[0] : {};
      piece = choice.delta?.content ?? choice.message?.content ?? choice.text;
      reason = choice.finish_reason ?? choice.stop_reason;
      if (isLoose(chunk.usage)) this.usage = normalizeTokenUsage(chunk.usage) ?? this.usage;
      this.responseId ??= str(chunk.id);
    } else {
      // Cohere Command (`text`, `is_finished`) and Command R (`event_type`)
      if (chunk.event_type === undefined || chunk.event_type === "text-generation") piece = chunk.text;
      reason = chunk.finish_reason;
      this.responseId ??= str(chunk.generation_id);
    }
    if (typeof reason === "string" && reason) this.finishReason = reason;
    if (typeof piece !== "string" || piece === "") return false;
    this.text += piece;
    return true;
  }

  /** The counts the chunks reported (Titan, Llama), or an OpenAI-style `usage` chunk. */
  tokenUsage(): TokenUsage | undefined {
    return this.usage ?? bedrockUsage(this.input, this.output);
  }
}
