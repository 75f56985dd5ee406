/**
 * Test hygiene: a query closed early (`close()`, `return()`) asks its CLI to stop with SIGTERM and gives it a grace
 * period; a test process that ends sooner can leave it running. After a suite, stop every CLI still working in the
 * suite's directory (Linux: found by `/proc/<pid>/cwd`; elsewhere nothing is done).
 */
import { readdirSync, readlinkSync } from "node:fs";

export async function stopLeftoverClis(dir: string): Promise<number> {
  const pids = cliPidsIn(dir);
  for (const pid of pids) signal(pid, "SIGKILL");
  return pids.length;
}

function cliPidsIn(dir: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (
        readlinkSync(`/proc/${name}/cwd`)
          .replace(/ \(deleted\)$/, "")
          .startsWith(dir)
      )
        out.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}
