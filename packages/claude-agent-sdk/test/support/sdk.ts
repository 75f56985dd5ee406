/**
 * The Claude Agent SDK under test, and how its CLI is run here: against the fake Messages API, with no credentials,
 * no user settings, a private home and config directory, and every internet-bound request switched off
 * (`CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC` covers telemetry, error reporting, update and feature-flag checks; the
 * others are set too in case a CLI version reads them alone) or, failing that, caught by the network trap.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FakeAnthropic } from "./fake-anthropic.js";
import type { NetworkTrap } from "./network-trap.js";

/** One line of the SDK (0.2, 0.3): its module's functions, as each entry file imports them. */
export interface AgentSdk {
  label: string;
  query: (params: { prompt: unknown; options?: Record<string, unknown> }) => any;
  createSdkMcpServer: (options: any) => any;
  tool: (...args: any[]) => any;
  /** zod, for the MCP tool's input schema. */
  z: any;
}

export const MODEL = "claude-sonnet-4-5";
/** What every scripted turn reports unless it says otherwise (`fake-anthropic.ts`). */
export const NOTES = "hello from the notes";

/** A private working directory (with `notes.txt`) and home for the CLI. */
export function makeWorkdir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "pp-claude-"));
  mkdirSync(join(dir, "home", ".claude"), { recursive: true });
  mkdirSync(join(dir, "tmp"));
  writeFileSync(join(dir, "notes.txt"), NOTES);
  // The CLIs of closed queries may still be writing their task files for a moment.
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }) };
}

/** The environment the CLI gets: nothing of this process's, only what it needs. */
export function cliEnv(fake: FakeAnthropic, trap: NetworkTrap, dir: string, home = "home"): Record<string, string> {
  mkdirSync(join(dir, home, ".claude"), { recursive: true });
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: join(dir, home),
    CLAUDE_CONFIG_DIR: join(dir, home, ".claude"),
    TMPDIR: join(dir, "tmp"),
    ANTHROPIC_BASE_URL: fake.baseURL,
    ANTHROPIC_API_KEY: "sk-ant-test-not-a-real-key",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_ERROR_REPORTING: "1",
    HTTPS_PROXY: trap.url,
    HTTP_PROXY: trap.url,
    NO_PROXY: "127.0.0.1,localhost",
  };
}

/** `query()` options for a test: the fake API, the working directory, no settings files, the tools it may use. */
export function queryOptions(
  fake: FakeAnthropic,
  trap: NetworkTrap,
  dir: string,
  extra: Record<string, unknown> = {},
  home?: string,
): Record<string, unknown> {
  return {
    cwd: dir,
    env: cliEnv(fake, trap, dir, home),
    model: MODEL,
    settingSources: [],
    permissionMode: "default",
    allowedTools: ["Read", "Agent", "Task", "mcp__weather__get_weather"],
    ...extra,
  };
}
