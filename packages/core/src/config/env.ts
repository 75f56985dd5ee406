import { logger } from "../utils/logger.js";

/** Environment variables by name, as `process.env` holds them (or a test's record). */
export type Env = Record<string, string | undefined>;

/** `process.env`, or an empty record where there is none (edge runtimes). */
export function processEnv(): Env {
  try {
    return (globalThis as { process?: { env?: Env } }).process?.env ?? {};
  } catch {
    return {};
  }
}

/**
 * Reads one variable; where reading it is denied (Deno without `--allow-env` throws `NotCapable` on each read) it
 * reads as unset, with one warning for the whole process.
 */
export function readVar(env: Env, name: string): string | undefined {
  try {
    const v = env[name];
    return typeof v === "string" ? v : undefined;
  } catch (error) {
    logger.warnOnce(
      "env:denied",
      `reading environment variables is not allowed here (${(error as { name?: string })?.name ?? "denied"}; Deno needs --allow-env): PANDAPROBE_* and proxy variables are read as unset. Options passed to init() still apply.`,
    );
    return undefined;
  }
}
