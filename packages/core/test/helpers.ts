import { PandaProbe, type PandaProbeErrorInfo, type PandaProbeOptions } from "../src/index.js";
import { startStandIn, type StandIn } from "@pandaprobe/testing";

/** A client pointed at a stand-in with fast retries (like `createTestClient`), plus the errors it reported. */
export function clientFor(
  standIn: StandIn,
  options: PandaProbeOptions = {},
): { client: PandaProbe; errors: PandaProbeErrorInfo[] } {
  const errors: PandaProbeErrorInfo[] = [];
  const client = new PandaProbe({
    ...standIn.clientOptions,
    flushIntervalMs: 10,
    retryBaseMs: 5,
    retryMaxMs: 40,
    tracesPerMinute: 0,
    onError: (e) => errors.push(e),
    ...options,
  });
  return { client, errors };
}

export { startStandIn };
export type { StandIn };
