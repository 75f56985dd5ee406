// Langfuse v4+ (OpenTelemetry based): NodeSDK + LangfuseSpanProcessor as the
// Langfuse docs prescribe, `observeOpenAI` for the client and the
// @langfuse/langchain `CallbackHandler` for LangGraph. Spans go to the sink's
// /api/public/otel/v1/traces as OTLP/HTTP JSON.
export default {
  name: "langfuse",
  description: "@langfuse/openai observeOpenAI + @langfuse/langchain CallbackHandler (OTel NodeSDK, OTLP/HTTP)",
  packages: [
    "@langfuse/tracing",
    "@langfuse/otel",
    "@langfuse/openai",
    "@langfuse/langchain",
    "@opentelemetry/sdk-node",
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
    const { LangfuseSpanProcessor } = await import("@langfuse/otel");
    const { observeOpenAI } = await import("@langfuse/openai");
    const { CallbackHandler } = await import("@langfuse/langchain");
    const processor = new LangfuseSpanProcessor();
    const sdk = new NodeSDK({ spanProcessors: [processor] });
    sdk.start();
    return {
      wrapOpenAI: (openai) => observeOpenAI(openai),
      langchainHandler: () => new CallbackHandler(),
      flush: () => processor.forceFlush(),
      shutdown: () => sdk.shutdown(),
    };
  },
};
