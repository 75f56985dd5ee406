import { isAsyncLocalStorageClass } from "../utils/async-local-storage.js";
import { type Env, processEnv, readVar } from "./env.js";
import { logger } from "../utils/logger.js";
import { DEFAULT_ENDPOINT, type PandaProbeOptions, type ResolvedConfig } from "./options.js";

const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);
/** `disabledReason` of a client turned off on purpose (`PANDAPROBE_ENABLED=false` / `enabled: false`). */
export const DISABLED_BY_CONFIGURATION = "disabled by configuration";
const PROJECT_RE = /^[A-Za-z0-9](?:[A-Za-z0-9 \-_.']*[A-Za-z0-9])?$/;

/**
 * Resolves options + environment into a config. Never throws: every problem is listed in
 * `problems`, and any problem turns tracing off (`enabled: false`, `disabledReason`).
 */
export function resolveConfig(
  options: PandaProbeOptions = {},
  env: Env = envOf(options),
): { config: ResolvedConfig; problems: string[] } {
  const problems: string[] = [];
  const str = (opt: string | undefined, name: string): string | undefined => {
    if (opt !== undefined && opt !== null) {
      if (typeof opt === "string") return opt.trim();
      if (typeof opt === "number" || typeof opt === "boolean") return String(opt);
      problems.push(`${optionName(name)} should be a string`);
      return undefined;
    }
    const v = readVar(env, name);
    return v === undefined || v.trim() === "" ? undefined : v.trim();
  };
  const bool = (opt: boolean | undefined, name: string, def: boolean): boolean => {
    if (typeof opt === "boolean") return opt;
    const raw = readVar(env, name);
    if (raw === undefined || raw.trim() === "") return def;
    const v = raw.trim().toLowerCase();
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    problems.push(`${name}="${raw}" is not a boolean (use true/false, 1/0, yes/no, on/off)`);
    return def;
  };
  const num = (opt: number | undefined, name: string, def: number, min: number, integer: boolean): number => {
    let v: number;
    let shown: string;
    if (opt !== undefined && opt !== null) {
      v = typeof opt === "number" || typeof opt === "string" ? Number(opt) : Number.NaN;
      shown = `${optionName(name)}=${typeof opt === "number" || typeof opt === "string" ? opt : typeof opt}`;
    } else {
      const raw = readVar(env, name);
      if (raw === undefined || raw.trim() === "") return def;
      v = Number(raw.trim());
      shown = `${name}="${raw}"`;
    }
    if (!Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
      problems.push(`${shown} is not ${integer ? "an integer" : "a number"} >= ${min}`);
      return def;
    }
    return v;
  };

  const enabledWanted = bool(options.enabled, "PANDAPROBE_ENABLED", true);
  const apiKey = str(options.apiKey, "PANDAPROBE_API_KEY") ?? "";
  const projectName = str(options.projectName, "PANDAPROBE_PROJECT_NAME") ?? "";
  const endpoint = (str(options.endpoint, "PANDAPROBE_ENDPOINT") || DEFAULT_ENDPOINT).replace(/\/+$/, "");
  const config: ResolvedConfig = {
    apiKey,
    projectName,
    endpoint,
    environment: str(options.environment, "PANDAPROBE_ENVIRONMENT"),
    release: str(options.release, "PANDAPROBE_RELEASE"),
    enabled: enabledWanted,
    batchSize: num(options.batchSize, "PANDAPROBE_BATCH_SIZE", 10, 1, true),
    flushIntervalMs:
      options.flushIntervalMs !== undefined && options.flushIntervalMs !== null
        ? num(options.flushIntervalMs, "flushIntervalMs", 5000, 0, false)
        : num(options.flushInterval, "PANDAPROBE_FLUSH_INTERVAL", 5, 0, false) * 1000,
    maxQueueSize: num(options.maxQueueSize, "PANDAPROBE_MAX_QUEUE_SIZE", 1000, 1, true),
    debug: bool(options.debug, "PANDAPROBE_DEBUG", false),
    maxQueueBytes: num(options.maxQueueBytes, "maxQueueBytes", 32 * 1024 * 1024, 1024, true),
    maxFieldSize: num(options.maxFieldSize, "maxFieldSize", 1_000_000, 64, true),
    requestTimeoutMs: num(options.requestTimeoutMs, "requestTimeoutMs", 10_000, 1, false),
    maxRetries: num(options.maxRetries, "maxRetries", 8, 0, true),
    retryBaseMs: num(options.retryBaseMs, "retryBaseMs", 500, 0, false),
    retryMaxMs: num(options.retryMaxMs, "retryMaxMs", 30_000, 0, false),
    tracesPerMinute: num(options.tracesPerMinute, "tracesPerMinute", 100, 0, true),
    maxBacklogWindows: num(options.maxBacklogWindows, "maxBacklogWindows", 3, 1, false),
    rateLimitWindowMs: num(options.rateLimitWindowMs, "rateLimitWindowMs", 60_000, 1, false),
    rateLimitMarginMs: num(options.rateLimitMarginMs, "rateLimitMarginMs", 2_000, 0, false),
    waitForTraceMs: num(options.waitForTraceMs, "waitForTraceMs", 600_000, 0, false),
    lateSpanTimeoutMs: num(options.lateSpanTimeoutMs, "lateSpanTimeoutMs", 30_000, 0, false),
    concurrency: num(options.concurrency, "concurrency", 4, 1, true),
    exitTimeoutMs: num(options.exitTimeoutMs, "exitTimeoutMs", 2_000, 0, false),
    spoolDir: str(options.spoolDir, "PANDAPROBE_SPOOL_DIR"),
    agent: options.agent && typeof options.agent === "object" ? options.agent : undefined,
    proxy: options.proxy === false ? false : typeof options.proxy === "string" ? options.proxy.trim() : undefined,
    mask: typeof options.mask === "function" ? options.mask : undefined,
    waitUntil: typeof options.waitUntil === "function" ? options.waitUntil : undefined,
    sampleRate: num(options.sampleRate, "PANDAPROBE_SAMPLE_RATE", 1, 0, false),
    sampler: typeof options.sampler === "function" ? options.sampler : undefined,
  };
  if (config.sampleRate > 1) {
    const given = options.sampleRate !== undefined && options.sampleRate !== null;
    problems.push(
      `${given ? `sampleRate=${config.sampleRate}` : `PANDAPROBE_SAMPLE_RATE="${readVar(env, "PANDAPROBE_SAMPLE_RATE")}"`} is not a rate between 0 and 1`,
    );
    config.sampleRate = 1;
  }
  if (options.sampler !== undefined && options.sampler !== null && config.sampler === undefined)
    problems.push("sampler must be a function");
  if (options.agent !== undefined && config.agent === undefined) problems.push("agent must be a node:http(s) Agent");
  if (config.proxy && !/^https?:\/\/[^/]+/i.test(config.proxy))
    problems.push(`proxy "${redactUrl(config.proxy)}" is not an http(s) URL`);
  if (options.mask !== undefined && typeof options.mask !== "function") problems.push("mask must be a function");
  if (options.flushInterval !== undefined && options.flushInterval !== null)
    logger.warnOnce(
      "config:flushInterval",
      "option flushInterval (seconds) is deprecated: use flushIntervalMs (milliseconds). PANDAPROBE_FLUSH_INTERVAL stays in seconds.",
    );
  if (options.waitUntil !== undefined && typeof options.waitUntil !== "function")
    problems.push("waitUntil must be a function");
  if (options.asyncLocalStorage !== undefined && !isAsyncLocalStorageClass(options.asyncLocalStorage))
    problems.push("asyncLocalStorage must be an AsyncLocalStorage class (from node:async_hooks)");

  if (enabledWanted) {
    if (!apiKey) problems.push("no API key (set PANDAPROBE_API_KEY or pass apiKey)");
    if (!projectName) problems.push("no project name (set PANDAPROBE_PROJECT_NAME or pass projectName)");
    else if (projectName.length > 255) problems.push("the project name is longer than 255 characters");
    else if (!PROJECT_RE.test(projectName))
      problems.push(
        `project name "${projectName}" must start and end with a letter or digit and use only letters, digits, spaces, - _ . '`,
      );
    if (!/^https?:\/\/[^/]+/i.test(endpoint)) problems.push(`endpoint "${endpoint}" is not an http(s) URL`);
  }
  if (!enabledWanted) config.disabledReason = DISABLED_BY_CONFIGURATION;
  if (problems.length > 0 && enabledWanted) {
    config.enabled = false;
    config.disabledReason = problems.join("; ");
  }
  return { config, problems };
}

/** The variables to read: the `env` option (a Worker's bindings; values that are not strings read as unset), else `process.env`. */
function envOf(options: PandaProbeOptions): Env {
  const given = options.env;
  return given !== null && typeof given === "object" ? (given as Env) : processEnv();
}

/** A URL without its credentials (for messages). */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}

function optionName(envName: string): string {
  const map: Record<string, string> = {
    PANDAPROBE_API_KEY: "apiKey",
    PANDAPROBE_PROJECT_NAME: "projectName",
    PANDAPROBE_ENDPOINT: "endpoint",
    PANDAPROBE_ENVIRONMENT: "environment",
    PANDAPROBE_RELEASE: "release",
    PANDAPROBE_SPOOL_DIR: "spoolDir",
    PANDAPROBE_BATCH_SIZE: "batchSize",
    PANDAPROBE_FLUSH_INTERVAL: "flushInterval",
    PANDAPROBE_MAX_QUEUE_SIZE: "maxQueueSize",
    PANDAPROBE_SAMPLE_RATE: "sampleRate",
  };
  return map[envName] ?? envName;
}
