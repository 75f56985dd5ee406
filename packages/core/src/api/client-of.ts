import type { PandaProbe } from "../client/client.js";
import { getClient } from "../client/global.js";
import { isTraceSink, type TraceSink } from "../tracing/sink.js";
import { reportInternal } from "../utils/guard.js";
import { logger } from "../utils/logger.js";
import { describe } from "../utils/unreadable.js";

/**
 * The client a `client` option names, else the global client. Anything that is not a client is ignored with one
 * warning. Undefined only should even the global client fail to come up (reported), never throws.
 */
export function clientOf(client: unknown, where: string): PandaProbe | undefined {
  try {
    if (client !== undefined && client !== null) {
      if (isTraceSink(client) && typeof (client as { score?: unknown }).score === "function")
        return client as PandaProbe;
      logger.warnOnce(
        `option:${where}.client`,
        `option client of ${where}() should be a PandaProbe client; ${describe(client)} was ignored (the global client is used).`,
      );
    }
    return getClient();
  } catch (error) {
    reportInternal(where, error);
    return undefined;
  }
}

/** `clientOf` as the sink traces report to. */
export function sinkOf(client: unknown, where: string): TraceSink | undefined {
  return clientOf(client, where);
}
