/**
 * Tiny benchmark helpers shared by every bench file (not a test: run with `pnpm bench`).
 * Each bench file exports `default async function run(): Promise<BenchRow[]>`.
 */
import { spawn, spawnSync, type SpawnOptions } from "node:child_process";
import { availableParallelism } from "node:os";
import { once } from "node:events";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export interface BenchRow {
  /** What was measured, e.g. "core: span start+end". */
  name: string;
  /** Median wall time per operation, microseconds. */
  medianUs: number;
  /** 95th percentile wall time per operation, microseconds. */
  p95Us: number;
  /** Mean process CPU time (user+system) per operation, microseconds, when measured. */
  cpuUs?: number;
  /** Target from the issue, for the README table (e.g. "< 5 µs median"). */
  target?: string;
  /** Free text (throughput, comparison baseline, ...). */
  note?: string;
}

/** Median and p95 of samples. */
export function stats(samples: number[]): { median: number; p95: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: at(0.5), p95: at(0.95) };
}

/**
 * Measures `op` by timing batches of `batch` calls (so timer resolution does not dominate)
 * `rounds` times; returns per-op median/p95 in µs and mean CPU µs per op.
 */
export async function measure(
  op: () => unknown | Promise<unknown>,
  {
    rounds = 200,
    batch = 100,
    warmup = 2000,
    isAsync = false,
  }: { rounds?: number; batch?: number; warmup?: number; isAsync?: boolean } = {},
): Promise<{ medianUs: number; p95Us: number; cpuUs: number }> {
  for (let i = 0; i < warmup; i++) {
    const r = op();
    if (isAsync) await r;
  }
  const samples: number[] = [];
  const cpu0 = process.cpuUsage();
  let ops = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) {
      const res = op();
      if (isAsync) await res;
    }
    samples.push(((performance.now() - t0) * 1000) / batch);
    ops += batch;
  }
  const cpu = process.cpuUsage(cpu0);
  const { median, p95 } = stats(samples);
  return { medianUs: median, p95Us: p95, cpuUs: (cpu.user + cpu.system) / ops };
}

/**
 * CPU pinning (Linux with `taskset`, 2+ CPUs, unless BENCH_NO_PIN is set): the benchmark process runs on
 * CPU 0 and the child servers (stand-in, fake OpenAI) on the other CPUs, so they do not compete with the
 * code under test for a core and its caches; per-call CPU figures vary far less run to run.
 */
const pinning = (() => {
  const cpus = availableParallelism(); // read before pinning narrows it to 1
  if (process.env.BENCH_NO_PIN || process.platform !== "linux" || cpus < 2) return undefined;
  const ok = spawnSync("taskset", ["-acp", "0", String(process.pid)], { stdio: "ignore" }).status === 0;
  return ok ? `1-${cpus - 1}` : undefined;
})();

/** Whether the benchmark pinned itself to CPU 0 and its child servers to the other CPUs. */
export const pinned = pinning !== undefined;

/** Spawns `node args` (on the CPUs not used by the benchmark process when pinned). */
export function spawnNode(args: string[], options: SpawnOptions) {
  return pinning
    ? spawn("taskset", ["-c", pinning, process.execPath, ...args], options)
    : spawn(process.execPath, args, options);
}

/** Rounds to 2 decimals for printing. */
export const r2 = (n: number) => Math.round(n * 100) / 100;

/**
 * A stand-in backend in its own process, so its request handling is not counted in the
 * benchmark's CPU: only our side of serialisation and HTTP delivery is.
 */
export async function startChildStandIn(): Promise<{
  options: { apiKey: string; projectName: string; endpoint: string };
  count(): Promise<{ traces: number; schemaErrors: number }>;
  close(): Promise<void>;
}> {
  const script = fileURLToPath(new URL("./stand-in-child.ts", import.meta.url));
  const child = spawnNode(["--import", "tsx", script], {
    stdio: ["pipe", "pipe", "inherit"],
    cwd: fileURLToPath(new URL("..", import.meta.url)),
  });
  const lines = createInterface({ input: child.stdout! });
  const next = async () => (await once(lines, "line"))[0] as string;
  const options = JSON.parse(await next()) as { apiKey: string; projectName: string; endpoint: string };
  return {
    options,
    count: async () => {
      child.stdin!.write("count\n");
      return JSON.parse(await next()) as { traces: number; schemaErrors: number };
    },
    close: async () => {
      child.stdin!.end();
      await once(child, "exit");
    },
  };
}

/** Mean CPU µs per call of `n` sequential calls, including whatever `after` (e.g. a flush) costs. */
export async function cpuPerCall(
  n: number,
  op: () => Promise<unknown>,
  after: () => Promise<unknown> = async () => {},
): Promise<number> {
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await op();
  await after();
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / n;
}
