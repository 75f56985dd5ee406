/**
 * What the fake Bedrock Runtime answers, per operation and model family, in each provider's real wire shape
 * (Converse, Anthropic Messages, Amazon Nova and Titan, Meta Llama, Mistral, Cohere, embeddings). The reply text is
 * `REPLY`, or, when the last user text starts with `echo:`, that text itself (so concurrent calls can be told apart).
 */

type Body = any;

export const REPLY = "It is sunny.";
export const REPLY_PARTS = ["It ", "is ", "sunny."];
export const TOOL_USE_ID = "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q";

/** Converse usage with prompt caching (Bedrock's `inputTokens` excludes cache reads and writes). */
export const CONVERSE_USAGE = {
  inputTokens: 12,
  outputTokens: 7,
  totalTokens: 25,
  cacheReadInputTokens: 4,
  cacheWriteInputTokens: 2,
};
/** What every usage fixture with caching normalises to in core's shape. */
export const EXPECTED_USAGE = {
  prompt_tokens: 18,
  completion_tokens: 7,
  total_tokens: 25,
  cache_read_tokens: 4,
  cache_creation_tokens: 2,
};
/** The usage of fixtures without caching (Titan, Llama, Mistral, Cohere). */
export const EXPECTED_PLAIN_USAGE = { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 };

/** `amazon-bedrock-invocationMetrics`, on the last chunk of every InvokeModelWithResponseStream. */
export function invocationMetrics(cached: boolean) {
  return {
    inputTokenCount: 12,
    outputTokenCount: 7,
    invocationLatency: 50,
    firstByteLatency: 10,
    ...(cached ? { cacheReadInputTokenCount: 4, cacheWriteInputTokenCount: 2 } : undefined),
  };
}

/** The model family of a model id, inference profile id (`us.anthropic...`) or ARN, as the fake server sees it. */
export function familyOf(modelId: string): string {
  const id = modelId.slice(modelId.lastIndexOf("/") + 1).replace(/^(us|eu|apac|global|us-gov|jp|au|ca)\./, "");
  if (id.startsWith("anthropic.")) return "anthropic";
  if (id.startsWith("amazon.nova") && !id.includes("embed")) return "nova";
  if (id.startsWith("amazon.titan-embed") || id.startsWith("cohere.embed")) return `${id.split(".")[0]}-embed`;
  if (id.startsWith("amazon.titan")) return "titan";
  if (id.startsWith("meta.")) return "llama";
  if (id.startsWith("mistral.")) return "mistral";
  if (id.startsWith("cohere.command-r")) return "cohere-chat";
  if (id.startsWith("cohere.")) return "cohere";
  return "unknown";
}

/** The last user text of any request shape (Converse, Anthropic, Nova, Titan, Llama, Mistral, Cohere). */
export function lastUserText(body: Body): string {
  if (!body || typeof body !== "object") return "";
  if (typeof body.inputText === "string") return body.inputText;
  if (typeof body.prompt === "string") return body.prompt;
  if (typeof body.message === "string") return body.message;
  const messages: Body[] = Array.isArray(body.messages) ? body.messages : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== "user") continue;
    if (typeof m.content === "string") return m.content;
    for (const block of m.content ?? []) if (typeof block?.text === "string") return block.text;
  }
  return "";
}

/** The reply text for a request (see the module comment). */
export function replyFor(body: Body): string {
  const text = lastUserText(body).trim();
  return text.startsWith("echo:") ? text : REPLY;
}

/** Splits a reply into the stream's text deltas. */
export function partsOf(reply: string): string[] {
  return reply === REPLY ? REPLY_PARTS : [reply.slice(0, 5), reply.slice(5)].filter(Boolean);
}

/** Whether a Converse request should get a tool call: tools offered and no tool result in the last message. */
export function wantsTool(body: Body): boolean {
  const tools = body?.toolConfig?.tools;
  if (!Array.isArray(tools) || tools.length === 0) return false;
  const last = body.messages?.[body.messages.length - 1];
  return !(last?.content ?? []).some((b: Body) => b?.toolResult);
}

/** A Converse response: text, or a tool call (`get_weather`), with reasoning when `additionalModelRequestFields.thinking` is set. */
export function converseResponse(body: Body): Body {
  const content: Body[] = [];
  if (body?.additionalModelRequestFields?.thinking) {
    content.push({ reasoningContent: { reasoningText: { text: "The user wants weather.", signature: "sig" } } });
    content.push({ reasoningContent: { redactedContent: "ZW5jcnlwdGVk" } }); // a blob: base64 on the wire
  }
  const tool = wantsTool(body);
  content.push({ text: tool ? "Let me check." : replyFor(body) });
  if (tool) content.push({ toolUse: { toolUseId: TOOL_USE_ID, name: "get_weather", input: { city: "Paris" } } });
  return {
    output: { message: { role: "assistant", content } },
    stopReason: tool ? "tool_use" : "end_turn",
    usage: CONVERSE_USAGE,
    metrics: { latencyMs: 321 },
  };
}

/** The ConverseStream events for a request, as `[eventType, payload]` pairs. */
export function converseStreamEvents(body: Body): Array<[string, Body]> {
  const events: Array<[string, Body]> = [["messageStart", { role: "assistant" }]];
  let index = 0;
  if (body?.additionalModelRequestFields?.thinking) {
    events.push(["contentBlockDelta", { contentBlockIndex: 0, delta: { reasoningContent: { text: "The user " } } }]);
    events.push([
      "contentBlockDelta",
      { contentBlockIndex: 0, delta: { reasoningContent: { text: "wants weather." } } },
    ]);
    events.push(["contentBlockStop", { contentBlockIndex: 0 }]);
    events.push([
      "contentBlockDelta",
      { contentBlockIndex: 1, delta: { reasoningContent: { redactedContent: "ZW5j" } } },
    ]);
    events.push(["contentBlockStop", { contentBlockIndex: 1 }]);
    index += 2;
  }
  const tool = wantsTool(body);
  for (const text of tool ? ["Let me ", "check."] : partsOf(replyFor(body))) {
    events.push(["contentBlockDelta", { contentBlockIndex: index, delta: { text } }]);
  }
  events.push(["contentBlockStop", { contentBlockIndex: index }]);
  if (tool) {
    index++;
    events.push([
      "contentBlockStart",
      { contentBlockIndex: index, start: { toolUse: { toolUseId: TOOL_USE_ID, name: "get_weather" } } },
    ]);
    for (const input of ['{"city":', '"Paris"}']) {
      events.push(["contentBlockDelta", { contentBlockIndex: index, delta: { toolUse: { input } } }]);
    }
    events.push(["contentBlockStop", { contentBlockIndex: index }]);
  }
  events.push(["messageStop", { stopReason: tool ? "tool_use" : "end_turn" }]);
  events.push(["metadata", { usage: CONVERSE_USAGE, metrics: { latencyMs: 321 } }]);
  return events;
}

/** Whether the family's usage fixtures include prompt caching (as Bedrock reports it for Anthropic and Nova). */
export const cachedFamily = (family: string) => family === "anthropic" || family === "nova";

/** The InvokeModel response body for a family (JSON unless the request asked for plain text). */
export function invokeResponse(family: string, body: Body): Body {
  const reply = replyFor(body);
  switch (family) {
    case "anthropic": {
      const tool = Array.isArray(body?.tools) && body.tools.length > 0;
      return {
        id: "msg_bdrk_01",
        type: "message",
        role: "assistant",
        model: "claude-3-5-haiku-20241022",
        content: tool
          ? [
              { type: "text", text: "Let me check." },
              { type: "tool_use", id: "toolu_01", name: "get_weather", input: { city: "Paris" } },
            ]
          : [{ type: "text", text: reply }],
        stop_reason: tool ? "tool_use" : "end_turn",
        stop_sequence: null,
        usage: { input_tokens: 12, output_tokens: 7, cache_read_input_tokens: 4, cache_creation_input_tokens: 2 },
      };
    }
    case "nova":
      return {
        output: { message: { role: "assistant", content: [{ text: reply }] } },
        stopReason: "end_turn",
        usage: {
          inputTokens: 12,
          outputTokens: 7,
          totalTokens: 25,
          cacheReadInputTokenCount: 4,
          cacheWriteInputTokenCount: 2,
        },
      };
    case "titan":
      return { inputTextTokenCount: 12, results: [{ tokenCount: 7, outputText: reply, completionReason: "FINISH" }] };
    case "llama":
      return { generation: reply, prompt_token_count: 12, generation_token_count: 7, stop_reason: "stop" };
    case "mistral":
      return Array.isArray(body?.messages)
        ? { choices: [{ index: 0, message: { role: "assistant", content: reply }, stop_reason: "stop" }] }
        : { outputs: [{ text: reply, stop_reason: "stop" }] };
    case "cohere":
      return {
        id: "gen-1",
        prompt: body?.prompt,
        generations: [{ id: "g-1", text: reply, finish_reason: "COMPLETE" }],
      };
    case "cohere-chat":
      return {
        response_id: "resp-1",
        text: reply,
        generation_id: "gen-1",
        chat_history: [],
        finish_reason: "COMPLETE",
      };
    case "amazon-embed":
      return { embedding: [0.1, 0.2, 0.3, 0.4], inputTextTokenCount: 5 };
    case "cohere-embed":
      return {
        id: "emb-1",
        response_type: "embeddings_floats",
        texts: body?.texts,
        embeddings: (body?.texts ?? []).map(() => [0.1, 0.2, 0.3]),
      };
    default:
      return { result: { answer: reply }, meta: { engine: "custom" } };
  }
}

/** The chunks (each the model's own JSON) of an InvokeModelWithResponseStream for a family; the last one carries the invocation metrics. */
export function invokeStreamChunks(family: string, body: Body): Body[] {
  const parts = partsOf(replyFor(body));
  const metrics = { "amazon-bedrock-invocationMetrics": invocationMetrics(cachedFamily(family)) };
  switch (family) {
    case "anthropic":
      return [
        {
          type: "message_start",
          message: {
            id: "msg_bdrk_01",
            type: "message",
            role: "assistant",
            model: "claude-3-5-haiku-20241022",
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: 12, cache_read_input_tokens: 4, cache_creation_input_tokens: 2, output_tokens: 1 },
          },
        },
        { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
        ...parts.map((text) => ({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } })),
        { type: "content_block_stop", index: 0 },
        { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 7 } },
        { type: "message_stop", ...metrics },
      ];
    case "nova":
      return [
        { messageStart: { role: "assistant" } },
        ...parts.map((text) => ({ contentBlockDelta: { delta: { text }, contentBlockIndex: 0 } })),
        { contentBlockStop: { contentBlockIndex: 0 } },
        { messageStop: { stopReason: "end_turn" } },
        { metadata: { usage: { inputTokens: 12, outputTokens: 7 }, metrics: {}, trace: {} }, ...metrics },
      ];
    case "titan":
      return [
        ...parts.map((outputText, i) => ({
          outputText,
          index: 0,
          totalOutputTextTokenCount: i + 1,
          completionReason: null,
          inputTextTokenCount: i === 0 ? 12 : null,
        })),
        { outputText: "", index: 0, totalOutputTextTokenCount: 7, completionReason: "FINISH", ...metrics },
      ];
    case "llama":
      return [
        ...parts.map((generation, i) => ({
          generation,
          prompt_token_count: i === 0 ? 12 : null,
          generation_token_count: i + 1,
          stop_reason: null,
        })),
        { generation: "", prompt_token_count: null, generation_token_count: 7, stop_reason: "stop", ...metrics },
      ];
    case "mistral":
      return Array.isArray(body?.messages)
        ? [
            ...parts.map((content) => ({
              choices: [{ index: 0, message: { role: "assistant", content }, stop_reason: null }],
            })),
            { choices: [{ index: 0, message: { role: "assistant", content: "" }, stop_reason: "stop" }], ...metrics },
          ]
        : [
            ...parts.map((text) => ({ outputs: [{ text, stop_reason: null }] })),
            { outputs: [{ text: "", stop_reason: "stop" }], ...metrics },
          ];
    case "cohere":
      return [
        ...parts.map((text) => ({ text, is_finished: false })),
        { is_finished: true, finish_reason: "COMPLETE", ...metrics },
      ];
    case "cohere-chat":
      return [
        { is_finished: false, event_type: "stream-start", generation_id: "gen-1" },
        ...parts.map((text) => ({ is_finished: false, event_type: "text-generation", text })),
        { is_finished: true, event_type: "stream-end", finish_reason: "COMPLETE", ...metrics },
      ];
    default:
      return [...parts.map((piece) => ({ piece })), { done: true, ...metrics }];
  }
}
