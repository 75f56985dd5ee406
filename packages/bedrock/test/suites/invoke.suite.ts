/** InvokeModel and InvokeModelWithResponseStream: each model family's native body decoded, unknown ones kept raw. */
import { describe, expect, it } from "vitest";
import {
  type BedrockUnderTest,
  chunkJson,
  drain,
  EXPECTED_PLAIN_USAGE,
  EXPECTED_USAGE,
  json,
  onlySpan,
  REPLY,
  useHarness,
} from "../support/harness.js";

const ASK = "Weather in Paris?";
const asked = { messages: [{ role: "user", content: ASK }] };
const replied = { messages: [{ role: "assistant", content: REPLY }] };

/** One model family: its model id, a request body, and what the span records from it. */
interface Family {
  label: string;
  modelId: string;
  body: Record<string, unknown>;
  input?: unknown;
  parameters?: Record<string, unknown>;
  usage: Record<string, number>;
  finish: string;
}

const FAMILIES: Family[] = [
  {
    label: "Anthropic Claude (Messages)",
    modelId: "anthropic.claude-3-5-haiku-20241022-v1:0",
    body: {
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 256,
      temperature: 0.2,
      system: [{ type: "text", text: "You are terse.", cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: [{ type: "text", text: ASK }] }],
    },
    input: {
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: ASK },
      ],
    },
    parameters: { max_tokens: 256, temperature: 0.2 },
    usage: EXPECTED_USAGE,
    finish: "end_turn",
  },
  {
    label: "Amazon Nova",
    modelId: "us.amazon.nova-lite-v1:0",
    body: {
      schemaVersion: "messages-v1",
      system: [{ text: "You are terse." }],
      messages: [{ role: "user", content: [{ text: ASK }] }],
      inferenceConfig: { max_new_tokens: 256, temperature: 0.2, topP: 0.9 },
    },
    input: {
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: ASK },
      ],
    },
    parameters: { max_tokens: 256, temperature: 0.2, topP: 0.9 },
    usage: EXPECTED_USAGE,
    finish: "end_turn",
  },
  {
    label: "Amazon Titan Text",
    modelId: "amazon.titan-text-express-v1",
    body: { inputText: ASK, textGenerationConfig: { maxTokenCount: 256, temperature: 0.2, topP: 0.9 } },
    parameters: { max_tokens: 256, temperature: 0.2, topP: 0.9 },
    usage: EXPECTED_PLAIN_USAGE,
    finish: "FINISH",
  },
  {
    label: "Meta Llama",
    modelId: "us.meta.llama3-2-3b-instruct-v1:0",
    body: { prompt: ASK, max_gen_len: 256, temperature: 0.2, top_p: 0.9 },
    parameters: { max_tokens: 256, temperature: 0.2, top_p: 0.9 },
    usage: EXPECTED_PLAIN_USAGE,
    finish: "stop",
  },
  {
    label: "Mistral (text completion)",
    modelId: "mistral.mistral-7b-instruct-v0:2",
    body: { prompt: `<s>[INST] ${ASK} [/INST]`, max_tokens: 256, temperature: 0.2 },
    input: { messages: [{ role: "user", content: `<s>[INST] ${ASK} [/INST]` }] },
    parameters: { max_tokens: 256, temperature: 0.2 },
    usage: EXPECTED_PLAIN_USAGE,
    finish: "stop",
  },
  {
    label: "Mistral (chat)",
    modelId: "mistral.mistral-large-2407-v1:0",
    body: { messages: [{ role: "user", content: ASK }], max_tokens: 256 },
    parameters: { max_tokens: 256 },
    usage: EXPECTED_PLAIN_USAGE,
    finish: "stop",
  },
  {
    label: "Cohere Command",
    modelId: "cohere.command-text-v14",
    body: { prompt: ASK, max_tokens: 256, p: 0.9, k: 40 },
    parameters: { max_tokens: 256, top_p: 0.9, top_k: 40 },
    usage: EXPECTED_PLAIN_USAGE,
    finish: "COMPLETE",
  },
  {
    label: "Cohere Command R",
    modelId: "cohere.command-r-plus-v1:0",
    body: {
      message: ASK,
      preamble: "You are terse.",
      chat_history: [
        { role: "USER", message: "Hi" },
        { role: "CHATBOT", message: "Hello!" },
      ],
      temperature: 0.2,
    },
    input: {
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello!" },
        { role: "user", content: ASK },
      ],
    },
    parameters: { temperature: 0.2 },
    usage: EXPECTED_PLAIN_USAGE,
    finish: "COMPLETE",
  },
];

export function invokeSuite(t: BedrockUnderTest): void {
  describe(`${t.label}: InvokeModel`, () => {
    const h = useHarness(t);

    for (const f of FAMILIES) {
      it(`${f.label}: the native body is read as messages; usage from Bedrock's token-count headers`, async () => {
        const client = h.wrapped();
        const res = await client.send(
          new t.sdk.InvokeModelCommand({ modelId: f.modelId, body: json(f.body), contentType: "application/json" }),
        );
        const [trace] = await h.traces(1);
        // The caller reads the body after the span was recorded: the same bytes.
        const bareBody = await h.bare().send(new t.sdk.InvokeModelCommand({ modelId: f.modelId, body: json(f.body) }));
        expect(res.body.transformToString()).toBe(bareBody.body.transformToString());
        expect(trace.name).toBe("bedrock-invoke-model");
        const messages = ((f.input ?? asked) as { messages: unknown[] }).messages;
        expect(trace.input).toEqual({ messages: [messages[messages.length - 1]] });
        expect(trace.output).toEqual(replied);
        const span = onlySpan(trace);
        expect(span).toMatchObject({ kind: "LLM", status: "OK", model: f.modelId });
        expect(span.input).toEqual(f.input ?? asked);
        expect(span.output).toEqual(replied);
        expect(span.token_usage).toEqual(f.usage);
        expect(span.model_parameters).toEqual(f.parameters);
        expect(span.metadata).toMatchObject({ finish_reason: f.finish, request_id: res.$metadata.requestId });
      });

      it(`${f.label}, streamed: chunks reach the caller unchanged; text, usage (invocation metrics) and first token recorded`, async () => {
        const command = () =>
          new t.sdk.InvokeModelWithResponseStreamCommand({ modelId: f.modelId, body: json(f.body) });
        const bare = (await drain((await h.bare().send(command())).body)).map(chunkJson);
        const client = h.wrapped();
        const events = await drain((await client.send(command())).body);
        expect(events.map(chunkJson)).toEqual(bare);
        const [trace] = await h.traces(1);
        expect(trace.name).toBe("bedrock-invoke-model-stream");
        const span = onlySpan(trace);
        expect(span).toMatchObject({ kind: "LLM", status: "OK", model: f.modelId });
        expect(span.input).toEqual(f.input ?? asked);
        expect(span.output).toEqual(replied);
        expect(span.token_usage).toEqual(f.usage);
        expect(span.metadata).toMatchObject({ streamed: true, finish_reason: f.finish });
        expect(span.completion_start_time).toBeTruthy();
      });
    }

    it("Anthropic tool use in an InvokeModel body: tool_use -> tool_calls, tool_result -> a tool message", async () => {
      const client = h.wrapped();
      const body = {
        anthropic_version: "bedrock-2023-05-31",
        max_tokens: 256,
        tools: [{ name: "get_weather", input_schema: { type: "object" } }],
        messages: [
          { role: "user", content: ASK },
          {
            role: "assistant",
            content: [{ type: "tool_use", id: "toolu_00", name: "get_weather", input: { city: "Rome" } }],
          },
          { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_00", content: "24C" }] },
        ],
      };
      await client.send(
        new t.sdk.InvokeModelCommand({ modelId: "anthropic.claude-3-haiku-20240307-v1:0", body: json(body) }),
      );
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.input).toEqual({
        messages: [
          { role: "user", content: ASK },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "toolu_00", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
            ],
          },
          { role: "tool", tool_call_id: "toolu_00", content: "24C" },
        ],
      });
      expect(span.output).toEqual({
        messages: [
          {
            role: "assistant",
            content: "Let me check.",
            tool_calls: [
              { id: "toolu_01", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            ],
          },
        ],
      });
      expect(span.metadata).toMatchObject({
        tools: ["get_weather"],
        response_id: "msg_bdrk_01",
        finish_reason: "tool_use",
      });
    });

    it("embeddings (Titan, Cohere): an EMBEDDING span with the texts, the count and size, never the vectors", async () => {
      const client = h.wrapped();
      await client.send(
        new t.sdk.InvokeModelCommand({
          modelId: "amazon.titan-embed-text-v2:0",
          body: json({ inputText: ASK, dimensions: 4 }),
        }),
      );
      await client.send(
        new t.sdk.InvokeModelCommand({
          modelId: "cohere.embed-english-v3",
          body: json({ texts: ["a", "b"], input_type: "search_document" }),
        }),
      );
      const traces = await h.traces(2);
      const titan = onlySpan(traces.find((x) => x.spans[0].model === "amazon.titan-embed-text-v2:0")!);
      const cohere = onlySpan(traces.find((x) => x.spans[0].model === "cohere.embed-english-v3")!);
      expect(titan).toMatchObject({ kind: "EMBEDDING", input: ASK, output: { embeddings: 1, dimensions: 4 } });
      expect(titan.model_parameters).toEqual({ dimensions: 4 });
      expect(titan.token_usage).toMatchObject({ prompt_tokens: 5 });
      expect(cohere).toMatchObject({ kind: "EMBEDDING", input: ["a", "b"], output: { embeddings: 2, dimensions: 3 } });
      for (const x of traces) {
        expect(x.name).toBe("bedrock-invoke-model");
        expect(x.output ?? null).toBeNull();
        expect((x.input as any).messages[0].role).toBe("user");
      }
    });

    it("an unknown model's JSON is kept as it is (request and response); a text body too; so are its stream chunks", async () => {
      const client = h.wrapped();
      const custom = "arn:aws:bedrock:us-east-1:123456789012:imported-model/abc123";
      await client.send(
        new t.sdk.InvokeModelCommand({ modelId: custom, body: json({ query: ASK, knobs: { depth: 2 } }) }),
      );
      await client.send(
        new t.sdk.InvokeModelCommand({ modelId: "acme.text-model", body: "plain question", contentType: "text/plain" }),
      );
      await drain(
        (await client.send(new t.sdk.InvokeModelWithResponseStreamCommand({ modelId: custom, body: json({ q: 1 }) })))
          .body,
      );
      const traces = await h.traces(3);
      const spans = traces.map(onlySpan);
      const plain = spans.find((s) => s.model === "acme.text-model")!;
      const [invoked, streamed] = [
        spans.find((s) => s.name === "bedrock-invoke-model" && s.model === custom)!,
        spans.find((s) => s.name === "bedrock-invoke-model-stream")!,
      ];
      expect(invoked.input).toEqual({ query: ASK, knobs: { depth: 2 } });
      expect(invoked.output).toEqual({ result: { answer: REPLY }, meta: { engine: "custom" } });
      expect(invoked.metadata).toMatchObject({ usage_unavailable: true, provider: "bedrock" });
      expect(plain.input).toBe("plain question");
      expect(plain.output).toBe(REPLY);
      expect(streamed.output).toEqual({
        chunks: [
          { piece: "It " },
          { piece: "is " },
          { piece: "sunny." },
          { done: true, "amazon-bedrock-invocationMetrics": expect.objectContaining({ inputTokenCount: 12 }) },
        ],
      });
      expect(streamed.token_usage).toEqual(EXPECTED_PLAIN_USAGE);
    });

    it("a byte body (Uint8Array) is read without changing it", async () => {
      const client = h.wrapped();
      const bytes = new TextEncoder().encode(json({ prompt: ASK }));
      const copy = bytes.slice();
      await client.send(new t.sdk.InvokeModelCommand({ modelId: "meta.llama3-8b-instruct-v1:0", body: bytes }));
      const span = onlySpan((await h.traces(1))[0]);
      expect(span.input).toEqual(asked);
      expect(bytes).toEqual(copy);
      expect(h.fake.requests[0].raw).toBe(json({ prompt: ASK }));
    });
  });
}
