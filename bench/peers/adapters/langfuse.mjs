// Langfuse v4+ (OpenTelemetry based): NodeSDK + LangfuseSpanProcessor as the Langfuse docs prescribe,
// `observeOpenAI` for the OpenAI client and the @langfuse/langchain `CallbackHandler` for LangGraph and LCEL chains.
// Anthropic, as Langfuse's Anthropic JS/TS guide does it: OpenInference's `AnthropicInstrumentation`
// (@arizeai/openinference-instrumentation-anthropic) exporting through the same processor; in ESM its
// `manuallyInstrument(module)`. That patches the module's `Messages.prototype.create` for every client, so it is
// given a separate copy of the SDK (its CommonJS build) and the traced client comes from that copy, while the bare
// client stays on the app's untouched copy. And with an OpenTelemetry provider registered, `@anthropic-ai/sdk`
// (>= 1.14) traces every client by itself (metadata only, no messages) and Langfuse's processor exports those spans
// too: the bare half would not be bare and each traced call would be recorded twice. So the SDK's own tracing is
// switched off on both clients (`openTelemetry: false`); the row is OpenInference's instrumentation plus Langfuse's
// export, which record the messages as the other SDKs do.
// Spans go to the sink's /api/public/otel/v1/traces as OTLP/HTTP JSON.
// OpenAI Agents SDK, as Langfuse's Agents guide does it (in Python; the JS package is the same project's):
// OpenInference's `OpenAIAgentsInstrumentation` on the provider NodeSDK registered, `manuallyInstrument(agents)`.
// Langfuse documents no JS path for Gemini, Mistral or Bedrock: those rows are n/a.
export default {
  name: "langfuse",
  description:
    "@langfuse/openai observeOpenAI + @langfuse/langchain CallbackHandler + OpenInference Anthropic / OpenAI Agents instrumentations (OTel NodeSDK, LangfuseSpanProcessor, OTLP/HTTP)",
  scenarios: [
    "openai-chat",
    "openai-stream",
    "anthropic-messages",
    "anthropic-stream",
    "langgraph",
    "langchain-chain",
    "openai-agents",
  ],
  packages: [
    "@langfuse/tracing",
    "@langfuse/otel",
    "@langfuse/openai",
    "@langfuse/langchain",
    "@opentelemetry/sdk-node",
    "@arizeai/openinference-instrumentation-anthropic",
    "@arizeai/openinference-instrumentation-openai-agents",
  ],
  importModules: [
    "@opentelemetry/sdk-node",
    "@langfuse/otel",
    "@langfuse/tracing",
    "@langfuse/openai",
    "@langfuse/langchain",
  ],
  env: (sinkUrl) => ({
    LANGFUSE_BASE_URL: sinkUrl,
    LANGFUSE_PUBLIC_KEY: "pk-lf-bench-dummy",
    LANGFUSE_SECRET_KEY: "sk-lf-bench-dummy",
    // NodeSDK must not start any exporter of its own besides Langfuse's processor.
    OTEL_TRACES_EXPORTER: "none",
    OTEL_METRICS_EXPORTER: "none",
    OTEL_LOGS_EXPORTER: "none",
  }),
  async setup() {
    const { NodeSDK } = await import("@opentelemetry/sdk-node");
    const { LangfuseSpanProcessor, isDefaultExportSpan } = await import("@langfuse/otel");
    const processor = new LangfuseSpanProcessor({
      // Langfuse's default filter exports Langfuse's own spans, gen_ai.* spans and known instrumentation scopes; the
      // OpenInference JS scope (`@arizeai/openinference-instrumentation-anthropic`) is none of these, so without
      // this line the guide's setup delivers nothing (measured: NO DATA at sink).
      shouldExportSpan: ({ otelSpan }) =>
        isDefaultExportSpan(otelSpan) || otelSpan.instrumentationScope.name.startsWith("@arizeai/openinference-"),
    });
    const sdk = new NodeSDK({ spanProcessors: [processor] });
    sdk.start();
    return {
      clientOptions: { anthropic: { openTelemetry: false } },
      wrapOpenAI: async (openai) => (await import("@langfuse/openai")).observeOpenAI(openai),
      wrapAnthropic: async (_client, { options, separateModule }) => {
        const { AnthropicInstrumentation } = await import("@arizeai/openinference-instrumentation-anthropic");
        const copy = separateModule();
        new AnthropicInstrumentation().manuallyInstrument(copy);
        return new copy.Anthropic(options);
      },
      instrumentOpenAIAgents: async (agents) => {
        const { OpenAIAgentsInstrumentation } = await import("@arizeai/openinference-instrumentation-openai-agents");
        new OpenAIAgentsInstrumentation().manuallyInstrument(agents);
      },
      langchainHandler: async () => new (await import("@langfuse/langchain")).CallbackHandler(),
      flush: () => processor.forceFlush(),
      shutdown: () => sdk.shutdown(),
    };
  },
};
