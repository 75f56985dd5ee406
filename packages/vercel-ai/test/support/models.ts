/**
 * Mock models for every AI SDK major, built from the SDK's own `ai/test` mocks:
 * v5 `MockLanguageModelV2` (flat usage, string finish reasons), v6 `MockLanguageModelV3` and
 * v7 `MockLanguageModelV4` (nested usage, `{ unified, raw }` finish reasons).
 */
export type Major = 5 | 6 | 7;

export interface MockModule {
  convertArrayToReadableStream: (parts: unknown[]) => ReadableStream<unknown>;
  [name: string]: any;
}

export function usageFor(major: Major) {
  return major === 5
    ? { inputTokens: 10, outputTokens: 5, totalTokens: 15, reasoningTokens: 2, cachedInputTokens: 3 }
    : {
        inputTokens: { total: 10, noCache: 7, cacheRead: 3, cacheWrite: 0 },
        outputTokens: { total: 5, text: 3, reasoning: 2 },
      };
}

export function createModels(major: Major, mocks: MockModule) {
  const V = major === 5 ? "V2" : major === 6 ? "V3" : "V4";
  const LanguageModel = mocks[`MockLanguageModel${V}`];
  const EmbeddingModel = mocks[`MockEmbeddingModel${V}`];
  const usage = usageFor(major);
  const fr = (reason: string) => (major === 5 ? reason : { unified: reason, raw: reason });
  const response = { id: "resp-1", modelId: "mock-model-2026", timestamp: new Date(0) };

  /** Step 1 asks for `weather({ city })`, step 2 answers with text; repeats for every call. */
  function toolModel(city = "Paris", answer = "It is sunny.") {
    let n = 0;
    return new LanguageModel({
      provider: "mock-provider",
      modelId: "mock-model",
      doGenerate: async () =>
        n++ % 2 === 0
          ? {
              content: [
                { type: "tool-call", toolCallId: `call-${city}`, toolName: "weather", input: JSON.stringify({ city }) },
              ],
              finishReason: fr("tool-calls"),
              usage,
              warnings: [],
              response,
            }
          : { content: [{ type: "text", text: answer }], finishReason: fr("stop"), usage, warnings: [], response },
      doStream: async () => ({
        stream: mocks.convertArrayToReadableStream(
          n++ % 2 === 0
            ? [
                { type: "stream-start", warnings: [] },
                { type: "response-metadata", ...response },
                { type: "tool-call", toolCallId: `call-${city}`, toolName: "weather", input: JSON.stringify({ city }) },
                { type: "finish", finishReason: fr("tool-calls"), usage },
              ]
            : [
                { type: "stream-start", warnings: [] },
                { type: "response-metadata", ...response },
                { type: "text-start", id: "t1" },
                { type: "text-delta", id: "t1", delta: "Hel" },
                { type: "text-delta", id: "t1", delta: "lo" },
                { type: "text-end", id: "t1" },
                { type: "finish", finishReason: fr("stop"), usage },
              ],
        ),
      }),
    });
  }

  /** Answers `{"a":1}` (generateObject). */
  function objectModel() {
    return new LanguageModel({
      provider: "mock-provider",
      modelId: "mock-object-model",
      doGenerate: async () => ({
        content: [{ type: "text", text: '{"a":1}' }],
        finishReason: fr("stop"),
        usage,
        warnings: [],
        response,
      }),
    });
  }

  /** A text model whose stream emits one delta, then waits until the abort signal fires. */
  function hangingStreamModel() {
    return new LanguageModel({
      provider: "mock-provider",
      modelId: "mock-model",
      doStream: async ({ abortSignal }: { abortSignal?: AbortSignal }) => ({
        stream: new ReadableStream({
          start(c) {
            c.enqueue({ type: "stream-start", warnings: [] });
            c.enqueue({ type: "text-start", id: "t1" });
            c.enqueue({ type: "text-delta", id: "t1", delta: "partial" });
            abortSignal?.addEventListener("abort", () => c.error(abortSignal.reason));
          },
        }),
      }),
    });
  }

  /** Two values per call, vectors of 3 dimensions, 4 tokens per call. */
  function embeddingModel() {
    return new EmbeddingModel({
      provider: "mock-provider",
      modelId: "mock-embedding",
      maxEmbeddingsPerCall: 2,
      doEmbed: async ({ values }: { values: string[] }) => ({
        embeddings: values.map(() => [0.125, 0.25, 0.5]),
        usage: { tokens: 4 },
        warnings: [], // read unconditionally by some AI SDK 6 releases
      }),
    });
  }

  return { toolModel, objectModel, hangingStreamModel, embeddingModel };
}
