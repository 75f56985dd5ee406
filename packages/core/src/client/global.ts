import type { PandaProbeOptions } from "../config/options.js";
import type { FlushResult } from "../types.js";
import { sharedValue } from "../utils/carrier.js";
import { PandaProbe } from "./client.js";

interface GlobalState {
  client: PandaProbe | undefined;
  /** Set when the client was built from env by `getClient()`; rebuilt if the env gains a key later. */
  autoFingerprint: string | undefined;
  /** The options of the last `init()`, for a client made again after `shutdown()`. */
  options: PandaProbeOptions | undefined;
}

const state = sharedValue<GlobalState>("global", () => ({
  client: undefined,
  autoFingerprint: undefined,
  options: undefined,
}));

function envFingerprint(): string {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
    return `${env.PANDAPROBE_API_KEY ?? ""}|${env.PANDAPROBE_PROJECT_NAME ?? ""}|${env.PANDAPROBE_ENABLED ?? ""}`;
  } catch {
    return "";
  }
}

/**
 * Creates the global client (options override `PANDAPROBE_*` env vars). A previous global client
 * is shut down in the background (its pending data is still flushed).
 * @example init({ apiKey: process.env.KEY, projectName: "my-app", environment: "prod" })
 */
export function init(options: PandaProbeOptions = {}): PandaProbe {
  const s = state();
  const previous = s.client;
  s.client = new PandaProbe(options);
  s.autoFingerprint = undefined;
  s.options = options;
  if (previous) void previous.shutdown();
  return s.client;
}

/** The global client, created from `PANDAPROBE_*` env vars on first use. Never throws. */
export function getClient(): PandaProbe {
  const s = state();
  const current = s.client;
  if (current && (s.autoFingerprint === undefined || current.enabled)) return current;
  if (!current && s.options) {
    // Made again after `shutdown()`, as `init()` configured it.
    s.client = new PandaProbe(s.options);
    return s.client;
  }
  const fp = envFingerprint();
  if (current && fp === s.autoFingerprint) return current;
  s.client = new PandaProbe();
  s.autoFingerprint = fp;
  return s.client;
}

/** @internal Whether `init()` has configured the global client (the serverless wrappers then leave it as it is). */
export function initialized(): boolean {
  return state().options !== undefined;
}

/** Flushes the global client. Never rejects. */
export function flush(options?: { timeoutMs?: number }): Promise<FlushResult> {
  return getClient().flush(options);
}

/**
 * Shuts the global client down (flushing first). Never rejects. Traces started afterwards get a fresh global client
 * with the same configuration, so a warm serverless invocation after a `shutdown()` still records (prefer `flush()`
 * at the end of a serverless handler: it keeps the connection).
 */
export function shutdown(options?: { timeoutMs?: number }): Promise<FlushResult> {
  const s = state();
  const client = getClient();
  if (s.client === client) s.client = undefined;
  return client.shutdown(options);
}
