/** Runs Node scripts in child processes for tests that need a process of their own (exit behaviour, handles). */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const coreDir = fileURLToPath(new URL("..", import.meta.url));

export interface ChildResult {
  /** Exit code; `null` when the guard timeout killed it. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node -e script` as an ES module in packages/core (`tsx`: with TypeScript imports of the source; else
 * `@pandaprobe/core` is the built package), with `env` added, killed after `timeoutMs`.
 */
export async function runModule(
  script: string,
  {
    tsx = false,
    env = {},
    timeoutMs = 10_000,
  }: { tsx?: boolean; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ChildResult> {
  const args = [...(tsx ? ["--import", "tsx"] : []), "--input-type=module", "-e", script];
  const child = spawn(process.execPath, args, {
    cwd: coreDir,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const guard = setTimeout(() => child.kill(), timeoutMs);
  try {
    const [code] = (await once(child, "exit")) as [number | null];
    return { code, stdout, stderr };
  } finally {
    clearTimeout(guard);
  }
}
