/** `createTestClient`: a `PandaProbe` client pointed at a stand-in, tuned for fast tests. */
import { PandaProbe, type PandaProbeOptions } from "@pandaprobe/core";
import type { StandIn } from "./server.js";

/**
 * A new `PandaProbe` for `standIn`: its endpoint, key and project, a 50 ms flush interval (flushIntervalMs), 5–50 ms retry delays and
 * no client-side trace rate limit. `overrides` win.
 */
export function createTestClient(
  standIn: Pick<StandIn, "clientOptions">,
  overrides: PandaProbeOptions = {},
): PandaProbe {
  return new PandaProbe({
    ...standIn.clientOptions,
    flushIntervalMs: 50,
    retryBaseMs: 5,
    retryMaxMs: 50,
    tracesPerMinute: 0,
    ...overrides,
  });
}
