/**
 * @pandaprobe/openai-agents — PandaProbe traces for the OpenAI Agents SDK (`@openai/agents`), through the SDK's own
 * tracing processor interface: one PandaProbe trace per SDK trace, `AGENT` spans for agents, `LLM` spans for model
 * calls, `TOOL` spans for function and MCP tools and handoffs, guardrails with whether they tripped.
 */
export { createPandaProbeProcessor } from "./create-processor.js";
export { instrumentOpenAIAgents } from "./instrument.js";
export { PandaProbeProcessor } from "./processor.js";
export type { AgentsSpan, AgentsSpanError, AgentsTrace, OpenAIAgentsOptions } from "./types.js";
