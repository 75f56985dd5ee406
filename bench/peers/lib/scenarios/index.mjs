// The scenarios that time one operation with and without the SDK (lib/paired.mjs). Each entry names the adapter
// hook it needs (adapters declare the scenarios they support in `scenarios`), its sizes, and how to build its two
// operations. Scenario modules are imported on demand, so a child loads only its own scenario's SDKs.

/** Sizes: "call" = one model call over HTTP (~0.3–0.5 ms), "framework" = a LangChain/agent run (~1–3 ms). */
export function planOf(scenario, opts) {
  switch (SCENARIOS[scenario]?.size) {
    case "call":
      return { n: opts.n, block: 10, warmup: 1500 };
    case "framework":
      return { n: opts.nGraph, block: 5, warmup: 150 };
    default:
      return {};
  }
}

export const SCENARIOS = {
  "openai-chat": {
    size: "call",
    hook: "wrapOpenAI",
    build: async (env) => (await import("./openai.mjs")).openaiScenario({ ...env, stream: false }),
  },
  "openai-stream": {
    size: "call",
    hook: "wrapOpenAI",
    build: async (env) => (await import("./openai.mjs")).openaiScenario({ ...env, stream: true }),
  },
  "anthropic-messages": {
    size: "call",
    hook: "wrapAnthropic",
    build: async (env) => (await import("./anthropic.mjs")).anthropicScenario({ ...env, stream: false }),
  },
  "anthropic-stream": {
    size: "call",
    hook: "wrapAnthropic",
    build: async (env) => (await import("./anthropic.mjs")).anthropicScenario({ ...env, stream: true }),
  },
  gemini: {
    size: "call",
    hook: "wrapGemini",
    build: async (env) => (await import("./gemini.mjs")).geminiScenario(env),
  },
  mistral: {
    size: "call",
    hook: "wrapMistral",
    build: async (env) => (await import("./mistral.mjs")).mistralScenario(env),
  },
  bedrock: {
    size: "call",
    hook: "wrapBedrock",
    build: async (env) => (await import("./bedrock.mjs")).bedrockScenario(env),
  },
  langgraph: {
    size: "framework",
    hook: "langchainHandler",
    build: async (env) => (await import("./langchain.mjs")).langgraphScenario(env),
  },
  "langchain-chain": {
    size: "framework",
    hook: "chainHandler|langchainHandler",
    build: async (env) => (await import("./langchain.mjs")).langchainChainScenario(env),
  },
  "openai-agents": {
    size: "framework",
    hook: "instrumentOpenAIAgents",
    prepare: async () => (await import("./openai-agents.mjs")).prepareOpenAIAgents(),
    build: async (env) => (await import("./openai-agents.mjs")).openaiAgentsScenario(env),
  },
};

export const TRACED_SCENARIOS = Object.keys(SCENARIOS);

/** Whether an adapter runs a scenario: `scenarios: "all"` (bare) or the list it declares. */
export const supports = (adapter, scenario) =>
  adapter.scenarios === "all" || (adapter.scenarios ?? []).includes(scenario);
