/** What every suite of one SDK line shares: the SDK, the stand-in harness, the fake API, the network trap. */
import type { Harness } from "@pandaprobe/testing/vitest";
import type { FakeAnthropic } from "./fake-anthropic.js";
import type { NetworkTrap } from "./network-trap.js";
import { type AgentSdk, queryOptions } from "./sdk.js";

/** Reads a stream to its end (shared by every package's suites). */
export { drain } from "@pandaprobe/testing";

export interface SuiteEnv {
  sdk: AgentSdk;
  h: Harness;
  fake: FakeAnthropic;
  trap: NetworkTrap;
  /** The CLI's working directory (holds `notes.txt`). */
  dir: string;
}

/**
 * `query()` options for this suite's fake API and working directory. `home` gives the query a Claude config
 * directory of its own: CLIs sharing one wait on each other's config-file locks.
 */
export function optionsFor(env: SuiteEnv, extra: Record<string, unknown> = {}, home?: string): Record<string, unknown> {
  return queryOptions(env.fake, env.trap, env.dir, extra, home);
}

/** The in-process MCP server with the `get_weather` tool; `onCall` runs inside the tool's handler. */
export function weatherServer(env: SuiteEnv, onCall: (city: string) => void | Promise<void> = () => {}) {
  const { sdk } = env;
  return sdk.createSdkMcpServer({
    name: "weather",
    version: "1.0.0",
    tools: [
      sdk.tool("get_weather", "Get the weather", { city: sdk.z.string() }, async ({ city }: { city: string }) => {
        await onCall(city);
        return { content: [{ type: "text", text: `It is 21C in ${city}` }] };
      }),
    ],
  });
}
