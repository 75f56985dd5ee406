/**
 * A scripted chat model built on LangChain's own `FakeListChatModel`: with tools bound and no tool
 * result yet it calls every bound tool; otherwise it answers `Answer: <last user text>`. It reports
 * usage (cache reads and reasoning included), provider metadata, and streams when asked to.
 */
import type { Frameworks } from "./frameworks.js";

export const MODEL_NAME = "scripted-model-1";
export const USAGE = {
  input_tokens: 12,
  output_tokens: 7,
  total_tokens: 19,
  input_token_details: { cache_read: 4 },
  output_token_details: { reasoning: 3 },
};

const typeOf = (m: any): string | undefined => m?._getType?.() ?? m?.getType?.() ?? m?.type;
const textOf = (m: any): string => (typeof m?.content === "string" ? m.content : JSON.stringify(m?.content ?? ""));

export interface ScriptedOptions {
  /** Throw this message from the model. */
  failWith?: string;
  /** Report usage only through the legacy `llmOutput.tokenUsage`. */
  legacyUsageOnly?: boolean;
}

export function makeScriptedModel(fw: Frameworks): new (options?: ScriptedOptions) => any {
  const { FakeListChatModel, AIMessage, AIMessageChunk, ChatGenerationChunk } = fw;
  return class ScriptedChatModel extends FakeListChatModel {
    static lc_name() {
      return "ScriptedChatModel";
    }
    failWith: string | undefined;
    legacyUsageOnly: boolean;
    boundTools: any[] = [];
    constructor(options: ScriptedOptions = {}) {
      super({ responses: ["unused"] });
      this.failWith = options.failWith;
      this.legacyUsageOnly = options.legacyUsageOnly ?? false;
    }
    _llmType() {
      return "scripted";
    }
    getLsParams(options: any) {
      return {
        ls_provider: "scripted",
        ls_model_name: MODEL_NAME,
        ls_model_type: "chat",
        ls_temperature: 0.2,
        ls_stop: options?.stop,
      };
    }
    invocationParams(options: any) {
      return {
        model: MODEL_NAME,
        temperature: 0.2,
        max_tokens: 256,
        api_key: "sk-secret",
        tools: options?.tools?.map((t: any) => t.name ?? t.function?.name),
      };
    }
    bindTools(tools: any[]) {
      return this.withConfig({ tools } as any);
    }
    decide(messages: any[], options: any): { text?: string; calls?: any[] } {
      const tools: any[] = options?.tools ?? [];
      const last = messages[messages.length - 1];
      if (tools.length && typeOf(last) !== "tool") {
        return {
          calls: tools.map((t) => ({
            name: t.name ?? t.function?.name,
            args: { city: "Paris" },
            id: `call_${t.name ?? t.function?.name}`,
            type: "tool_call",
          })),
        };
      }
      const lastUser = [...messages].reverse().find((m) => typeOf(m) === "human" || typeOf(m) === "user");
      return { text: `Answer: ${textOf(lastUser)}` };
    }
    async _generate(messages: any[], options: any) {
      if (this.failWith) throw new Error(this.failWith);
      const d = this.decide(messages, options);
      const message = new AIMessage({
        content: d.text ?? "",
        tool_calls: d.calls ?? [],
        ...(this.legacyUsageOnly ? {} : { usage_metadata: USAGE }),
        response_metadata: { model_name: `${MODEL_NAME}-2026`, finish_reason: d.calls ? "tool_calls" : "stop" },
      });
      const tokenUsage = {
        promptTokens: USAGE.input_tokens,
        completionTokens: USAGE.output_tokens,
        totalTokens: USAGE.total_tokens,
      };
      return { generations: [{ text: d.text ?? "", message }], llmOutput: { tokenUsage } };
    }
    async *_streamResponseChunks(messages: any[], options: any, runManager: any) {
      if (this.failWith) throw new Error(this.failWith);
      const d = this.decide(messages, options);
      const parts: any[] = [];
      if (d.calls) {
        parts.push(
          new AIMessageChunk({
            content: "",
            tool_call_chunks: d.calls.map((c, index) => ({
              id: c.id,
              name: c.name,
              args: JSON.stringify(c.args),
              index,
              type: "tool_call_chunk",
            })),
          }),
        );
      } else {
        for (const w of (d.text ?? "").split(/(?<= )/)) parts.push(new AIMessageChunk({ content: w }));
      }
      parts.push(
        new AIMessageChunk({
          content: "",
          usage_metadata: USAGE,
          response_metadata: { model_name: `${MODEL_NAME}-2026`, finish_reason: d.calls ? "tool_calls" : "stop" },
        }),
      );
      for (const message of parts) {
        const chunk = new ChatGenerationChunk({
          text: typeof message.content === "string" ? message.content : "",
          message,
        });
        yield chunk;
        await runManager?.handleLLMNewToken(chunk.text, undefined, undefined, undefined, undefined, { chunk });
      }
    }
  };
}
