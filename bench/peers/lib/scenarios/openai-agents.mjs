// openai-agents: one run of an OpenAI Agents SDK agent with a function tool against the fake Responses API: the
// model calls the tool, then answers (two model calls, one tool call; the SDK makes a trace with agent, response
// and function spans, plus task and turn spans on 0.14+).
//
// The SDK's tracing is process-wide (trace processors are global), so the halves differ by the run's own switch:
// bare = a Runner with `tracingDisabled: true` (the SDK makes no trace at all), traced = a Runner with tracing on,
// feeding whatever processor the adapter registered. Before any adapter is set up, the app removes the SDK's default
// processor (its exporter to OpenAI's dashboard: `setTraceProcessors([])`), as an app that talks to a model other
// than OpenAI's would; each adapter then registers its processor the way its docs say (`hooks.instrumentOpenAIAgents`).

/** Runs in the child before the adapter's setup. */
export async function prepareOpenAIAgents() {
  const agents = await import("@openai/agents");
  agents.setTraceProcessors([]);
}

export async function openaiAgentsScenario({ hooks, urls }) {
  const agents = await import("@openai/agents");
  const { default: OpenAI } = await import("openai");
  const { z } = await import("zod");
  const { AGENT_ANSWER } = await import("../fake-openai.mjs");

  // `false` = nothing registered (the bare variant): both halves then run the same un-traced runner (A/A).
  const instrumented =
    typeof hooks.instrumentOpenAIAgents === "function" && (await hooks.instrumentOpenAIAgents(agents)) !== false;

  const openAIClient = new OpenAI({ baseURL: urls.openai, apiKey: "sk-bench-dummy", maxRetries: 0, timeout: 10_000 });
  const modelProvider = new agents.OpenAIProvider({ openAIClient });
  const getWeather = agents.tool({
    name: "get_weather",
    description: "The current weather in a city.",
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => `Sunny in ${city}.`,
  });
  const agent = new agents.Agent({
    name: "Weather agent",
    instructions: "You answer weather questions with the get_weather tool, in one sentence.",
    model: "gpt-4o-mini",
    tools: [getWeather],
  });
  const bareRunner = new agents.Runner({ modelProvider, tracingDisabled: true });
  const tracedRunner = new agents.Runner({ modelProvider, workflowName: "bench-agent" });
  const runWith = (runner) => async () => {
    const result = await runner.run(agent, "What is the weather in Paris?");
    if (result.finalOutput !== AGENT_ANSWER) throw new Error(`unexpected agent output: ${result.finalOutput}`);
  };
  return {
    bare: runWith(bareRunner),
    traced: runWith(instrumented ? tracedRunner : bareRunner),
    hasHandler: instrumented,
  };
}
