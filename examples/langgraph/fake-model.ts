/**
 * A fake tool-calling chat model (LangChain's own `FakeListChatModel`, scripted): with tools bound
 * and no tool result yet it calls every tool; afterwards it answers from the tool results. It
 * reports token usage like a real provider, so the trace shows usage without any API key.
 */
import type { BaseMessage } from "@langchain/core/messages";
import { AIMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { FakeListChatModel } from "@langchain/core/utils/testing";

type Options = { tools?: Array<{ name?: string; function?: { name?: string } }> };

export class FakeToolModel extends FakeListChatModel {
  static lc_name() {
    return "FakeToolModel";
  }
  constructor() {
    super({ responses: [""] });
  }
  getLsParams(options: this["ParsedCallOptions"]) {
    return { ...super.getLsParams(options), ls_provider: "fake", ls_model_name: "fake-gpt", ls_temperature: 0 };
  }
  bindTools(tools: unknown[]) {
    return this.withConfig({ tools } as never);
  }
  async _generate(messages: BaseMessage[], options: this["ParsedCallOptions"]): Promise<ChatResult> {
    const tools = (options as Options).tools ?? [];
    const last = messages[messages.length - 1];
    const toolResults = messages.filter((m) => m.getType() === "tool").map((m) => String(m.content));
    const wantsTools = tools.length > 0 && last.getType() !== "tool";
    const message = new AIMessage({
      content: wantsTools ? "" : `Here is what I found: ${toolResults.join(" ")}`,
      tool_calls: wantsTools
        ? tools.map((t, i) => ({
            id: `call_${i + 1}`,
            name: t.name ?? t.function?.name ?? "tool",
            args: { city: "Lisbon" },
            type: "tool_call" as const,
          }))
        : [],
      usage_metadata: {
        input_tokens: 42,
        output_tokens: 12,
        total_tokens: 54,
        input_token_details: { cache_read: 16 },
      },
      response_metadata: { model_name: "fake-gpt-2026-01" },
    });
    return { generations: [{ text: String(message.content), message }] };
  }
}
