/**
 * Tiny benchmark helpers shared by every bench file (not a test: run with `pnpm bench`).
 * Each bench file exports `default async function run(): Promise<BenchRow[]>`.
 */
import { spawn, spawnSync, type SpawnOptions } from "node:child_process";
import { availableParallelism } from "node:os";
import { once } from "node:events";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { basename, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

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

/** Imports a built module (`pnpm bench` builds first) by its path from the repository root: one copy of core, shared with the integration. */
export const loadBuilt = (path: string) => import(pathToFileURL(resolve(process.cwd(), path)).href);

/** One measured call: what `compareAB` times. */
export type Op = () => Promise<unknown>;

/** What the wrapper adds to one call (`compareAB`), wrapped − bare. */
export interface Added {
  /** Difference of the per-call medians (µs). */
  wall: number;
  /** Difference of the per-call 95th percentiles (µs). */
  p95: number;
  /** Added CPU per call, delivery included (µs): mean over the rounds. */
  cpu: number;
  /** Half-width of the 95% confidence interval of `cpu` (1.96 standard errors of the per-round differences). */
  cpuCi: number;
  /** Median of the per-round differences (less sensitive to the rare very expensive round, e.g. a full GC). */
  cpuMedian: number;
  bare: { median: number; p95: number; cpu: number };
  wrapped: { median: number; p95: number; cpu: number };
  pairs: number;
  calls: number;
}

export interface CompareOptions {
  /** Timed bare/wrapped pairs (wall). */
  pairs: number;
  /** Interleaved CPU rounds (one bare and one wrapped block each). */
  rounds: number;
  /** Calls per CPU block (default 25). */
  block?: number;
  /** `after()` (delivery) runs between timed pairs every this many pairs, untimed (default 25). */
  flushEvery?: number;
  /** Untimed warm-up pairs (default 400). */
  warmup?: number;
}

/**
 * The method every wrapped-client benchmark uses, bare and wrapped in the same run:
 * - wall: `pairs` pairs of one bare and one wrapped call, each timed on its own, the order alternating (AB, BA, ...)
 *   so drift cancels; `after()` (delivery) runs between pairs every `flushEvery`, untimed;
 * - CPU: interleaved blocks of `block` bare / `block` wrapped calls, each wrapped block ending with `after()`, so
 *   serialisation and delivery of its calls are counted.
 */
export async function compareAB(bare: Op, wrapped: Op, after: Op, options: CompareOptions): Promise<Added> {
  const { pairs, rounds, block = 25, flushEvery = 25, warmup = 400 } = options;
  for (let i = 0; i < warmup; i++) {
    await bare();
    await wrapped();
    if (i % block === block - 1) await after();
  }
  await after();
  const wall: [number[], number[]] = [[], []];
  const timed = async (v: 0 | 1) => {
    const t0 = performance.now();
    await (v === 0 ? bare() : wrapped());
    wall[v].push((performance.now() - t0) * 1000);
  };
  for (let i = 0; i < pairs; i++) {
    const first = (i % 2) as 0 | 1;
    await timed(first);
    await timed((1 - first) as 0 | 1);
    if (i % flushEvery === flushEvery - 1) await after();
  }
  await after();
  const cpu = [0, 0];
  const runBlock = async (v: 0 | 1) => {
    const op = v === 0 ? bare : wrapped;
    const c0 = process.cpuUsage();
    for (let i = 0; i < block; i++) await op();
    if (v === 1) await after();
    // One turn of the event loop inside every block: V8 runs a young-generation GC as a task once new space
    // is 80% full, and tasks run only on a loop turn. Without it, in-memory bare blocks (no I/O, no turn)
    // would leave their GC to the next wrapped block's delivery, which has turns.
    await new Promise<void>((done) => setImmediate(done));
    const c = process.cpuUsage(c0);
    cpu[v] += c.user + c.system;
    return c.user + c.system;
  };
  const diffs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const [first, second] = r % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const);
    const x = await runBlock(first);
    const y = await runBlock(second);
    diffs.push((first === 1 ? x - y : y - x) / block);
  }
  const calls = rounds * block;
  const a = stats(wall[0]);
  const b = stats(wall[1]);
  const mean = diffs.reduce((s, d) => s + d, 0) / Math.max(1, rounds);
  const sd = Math.sqrt(diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / Math.max(1, rounds - 1));
  return {
    wall: b.median - a.median,
    p95: b.p95 - a.p95,
    cpu: mean,
    cpuCi: (1.96 * sd) / Math.sqrt(Math.max(1, rounds)),
    cpuMedian: stats(diffs).median,
    bare: { ...a, cpu: cpu[0] / calls },
    wrapped: { ...b, cpu: cpu[1] / calls },
    pairs,
    calls,
  };
}

/** A percentage of `whole`, for notes. */
const pct = (part: number, whole: number) => (whole > 0 ? `${r2((100 * part) / whole)}%` : "n/a");

/** The row of a `compareAB` result: what the wrapper adds per call, and the ratio to the bare call's own cost. */
export function addedRow(name: string, x: Added, target?: string): BenchRow {
  return {
    name,
    medianUs: r2(x.wall),
    p95Us: r2(x.p95),
    cpuUs: r2(x.cpu),
    target,
    note:
      `added per call (wrapped − bare); CPU ${r2(x.cpu)} ± ${r2(x.cpuCi)} µs (95% CI) = ${pct(x.cpu, x.bare.cpu)} of ` +
      `the bare call's ${r2(x.bare.cpu)} µs, per-round median ${r2(x.cpuMedian)}; wall ${r2(x.wall)} µs = ` +
      `${pct(x.wall, x.bare.median)} of the bare call's ${r2(x.bare.median)} µs median (${r2(x.bare.p95)} µs p95); ` +
      `wrapped ${r2(x.wrapped.median)} / ${r2(x.wrapped.p95)} µs, ${r2(x.wrapped.cpu)} µs CPU; ${x.pairs} timed ` +
      `pairs, ${x.calls} calls each for CPU; Node ${process.versions.node}`,
  };
}

/** A fake provider server started in a child process (`serveFakeInChild`): what it printed, and how to stop it. */
export type ChildFake<T> = T & { close(): Promise<void> };

/**
 * Starts `script` (a bench file) again as a child process with `flag latencyMs`, where it serves a fake provider
 * (`serveFakeInChild`): its request handling is not counted in the benchmark's CPU. Resolves with the JSON line the
 * child printed (its base URL).
 */
export async function startChildFake<T extends object>(
  script: string,
  flag: string,
  latencyMs: number,
): Promise<ChildFake<T>> {
  const child = spawnNode(["--import", "tsx", fileURLToPath(script), flag, String(latencyMs)], {
    stdio: ["pipe", "pipe", "inherit"],
    cwd: fileURLToPath(new URL("..", import.meta.url)),
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
  return {
    ...(JSON.parse(line) as T),
    close: async () => {
      child.stdin!.end();
      await once(child, "exit");
    },
  };
}

/** Reads a stream to its end (the wrapped-client benches time a whole streamed call). */
export const drain = async (stream: AsyncIterable<unknown>) => {
  for await (const _ of stream);
};

/** The PandaProbe client as the wrapped-client benches use it. */
interface BenchClient {
  flush(options: { timeoutMs: number }): Promise<unknown>;
  shutdown(options: { timeoutMs: number }): Promise<unknown>;
}

/** The options `startWrappedClientBench` builds its client with. */
interface BenchClientOptions {
  apiKey: string;
  projectName: string;
  endpoint: string;
  tracesPerMinute: number;
  batchSize: number;
  flushIntervalMs: number;
}

/**
 * What every wrapped-client bench sets up: the stand-in and the fake provider (`startChildFake`) each in a child
 * process, and a client (the built `PandaProbe` class) that delivers only in the `flush()` ending each
 * wrapped block (its CPU is counted there), not during timed calls: on a small machine the stand-in would otherwise
 * compete with the fake provider for the cores. `counted` wraps an op whose calls each make one trace (`expect(n)`
 * adds traces sent some other way); `finish()`
 * shuts the client down and throws unless the stand-in received every counted trace, schema-valid.
 */
export async function startWrappedClientBench<T extends object, C extends BenchClient>(
  PandaProbe: new (options: BenchClientOptions) => C,
  startingFake: Promise<ChildFake<T>>,
) {
  const [standIn, fake] = await Promise.all([startChildStandIn(), startingFake]);
  const pp = new PandaProbe({ ...standIn.options, tracesPerMinute: 0, batchSize: 1000, flushIntervalMs: 3_600_000 });
  let traces = 0;
  return {
    fake,
    pp,
    standIn,
    flush: () => pp.flush({ timeoutMs: 30_000 }),
    expect: (n: number) => {
      traces += n;
    },
    counted:
      (op: Op): Op =>
      () => (traces++, op()),
    async finish(): Promise<void> {
      await pp.shutdown({ timeoutMs: 30_000 });
      const got = await standIn.count();
      await Promise.all([standIn.close(), fake.close()]);
      if (got.traces !== traces || got.schemaErrors > 0) {
        throw new Error(`stand-in received ${got.traces} of ${traces} traces (${got.schemaErrors} schema errors)`);
      }
    },
  };
}

/**
 * The child side of `startChildFake`, when this process was started with `flag`: starts the fake server with the
 * latency after the flag, prints `info(server)` as one JSON line and serves until its stdin ends. False otherwise.
 */
export async function serveFakeInChild<S extends { close(): Promise<unknown> }>(
  flag: string,
  start: (options: { latencyMs: number }) => Promise<S>,
  info: (server: S) => object,
): Promise<boolean> {
  const at = process.argv.indexOf(flag);
  if (at < 0) return false;
  const server = await start({ latencyMs: Number(process.argv[at + 1]) });
  process.stdout.write(`${JSON.stringify(info(server))}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => void server.close().then(() => process.exit(0)));
  return true;
}

/** Runs a bench file's `run()` when it is the script node was started with, printing one JSON row per line. */
export function runIfMain(url: string, run: () => Promise<BenchRow[]>): void {
  if (basename(process.argv[1] ?? "") !== basename(fileURLToPath(url))) return;
  void run().then((rows) => {
    for (const row of rows) console.log(JSON.stringify(row));
  });
}
