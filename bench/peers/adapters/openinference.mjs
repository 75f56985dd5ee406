// OpenInference (Arize): `OpenAIAgentsInstrumentation` from @arizeai/openinference-instrumentation-openai-agents,
// set up as its README's quickstart does: a `NodeTracerProvider` with a `BatchSpanProcessor` and an OTLP exporter,
// `provider.register()`, then `manuallyInstrument(agents)` (ESM), which installs its processor as the SDK's only
// one. The exporter is OTLP/HTTP JSON (the quickstart's is protobuf) so that the sink can count the spans; it posts
// to the sink's generic /v1/traces. OpenInference is the OpenTelemetry route to Phoenix, Arize and any OTLP backend.
export default {
  name: "openinference",
  description:
    "OpenInference OpenAIAgentsInstrumentation (OTel NodeTracerProvider, BatchSpanProcessor, OTLP/HTTP JSON)",
  scenarios: ["openai-agents"],
  packages: [
    "@arizeai/openinference-instrumentation-openai-agents",
    "@opentelemetry/sdk-trace-node",
    "@opentelemetry/exporter-trace-otlp-http",
  ],
  importModules: ["@arizeai/openinference-instrumentation-openai-agents", "@opentelemetry/sdk-trace-node"],
  env: () => ({}),
  async setup({ sinkUrl }) {
    const { NodeTracerProvider } = await import("@opentelemetry/sdk-trace-node");
    const { BatchSpanProcessor } = await import("@opentelemetry/sdk-trace-base");
    const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-http");
    const provider = new NodeTracerProvider({
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${sinkUrl}/v1/traces` }))],
    });
    provider.register();
    return {
      instrumentOpenAIAgents: async (agents) => {
        const { OpenAIAgentsInstrumentation } = await import("@arizeai/openinference-instrumentation-openai-agents");
        new OpenAIAgentsInstrumentation({ tracerProvider: provider }).manuallyInstrument(agents);
      },
      flush: () => provider.forceFlush(),
      shutdown: () => provider.shutdown(),
    };
  },
};
