/**
 * `instrumentOpenAIAgents(options)`: the SDK's `addTraceProcessor(createPandaProbeProcessor(options))` in one call,
 * once per process. It reaches the SDK's global trace provider, which every copy of `@openai/agents` shares under a
 * global symbol, so this package never loads the SDK itself (import `@openai/agents` first: importing it installs
 * the SDK's default OpenAI exporter, which would replace a processor registered before).
 */
import { guard, logger } from "@pandaprobe/core/integration";
import { PandaProbeProcessor } from "./processor.js";
import type { OpenAIAgentsOptions } from "./types.js";

/** The SDK's global trace provider (`getGlobalTraceProvider()`), as `addTraceProcessor` uses it. */
const SDK_PROVIDER = Symbol.for("openai.agents.core.traceProvider");
/** The processor `instrumentOpenAIAgents` registered on each provider (shared by every copy of this package). */
const INSTALLED = Symbol.for("pandaprobe.openai-agents.installed");

interface TraceProvider {
  registerProcessor(processor: unknown): void;
}

type Holder = { [SDK_PROVIDER]?: TraceProvider; [INSTALLED]?: WeakMap<object, PandaProbeProcessor> };

/**
 * Adds a PandaProbe processor to the Agents SDK's processors (beside its own export to OpenAI, which keeps working)
 * and returns it. Calling it again returns the processor already added (its options stay; to change them, build the
 * processor list yourself with `setTraceProcessors`). Call it after `@openai/agents` is imported.
 * @example
 * import { run } from "@openai/agents";
 * instrumentOpenAIAgents({ userId: "u-1" });
 */
export function instrumentOpenAIAgents(options: OpenAIAgentsOptions = {}): PandaProbeProcessor {
  const installed = guard("openai-agents.instrument", () => install(options));
  return installed ?? new PandaProbeProcessor(options);
}

function install(options: OpenAIAgentsOptions): PandaProbeProcessor {
  const holder = globalThis as Holder;
  const provider = holder[SDK_PROVIDER];
  if (!provider || typeof provider.registerProcessor !== "function") {
    logger.warnOnce(
      "openai-agents:no-provider",
      "instrumentOpenAIAgents: the OpenAI Agents SDK is not loaded yet (import @openai/agents first); nothing was registered. Use addTraceProcessor(createPandaProbeProcessor()) instead.",
    );
    return new PandaProbeProcessor(options);
  }
  const registry = (holder[INSTALLED] ??= new WeakMap());
  const existing = registry.get(provider);
  if (existing && !existing.shutDown) return existing;
  const processor = new PandaProbeProcessor(options);
  provider.registerProcessor(processor);
  registry.set(provider, processor);
  return processor;
}
