/**
 * `@pandaprobe/anthropic` overhead: the same `@anthropic-ai/sdk` 1.x client, bare and wrapped, in the same run, for
 * `messages.create` and a streamed `messages.create({ stream: true })` (the events `messages.stream()` reads). The
 * method is bench/openai.ts's, so the rows compare:
 *
 * - The fake Anthropic server (packages/anthropic/test/support, 1 ms latency kept to within microseconds) and the
 *   PandaProbe stand-in each run in their own child process: the CPU measured is this process's only (the
 *   Anthropic client, the wrapper, core, serialisation and HTTP delivery). At the end the stand-in must hold every
 *   trace, schema-valid.
 * - Wall: every call timed on its own (from the call to the awaited result; a stream until fully consumed), bare
 *   and wrapped alternating (AB, BA, ...); the row is the difference of the per-call medians (and of the p95s).
 *   Delivery runs between pairs, untimed.
 * - CPU: interleaved blocks of 25 bare / 25 wrapped calls; each wrapped block ends with `flush()`, so serialisation
 *   and delivery are counted. The row is the mean of the per-round differences with its 95% confidence interval,
 *   and the ratio of the added CPU to the bare call's own.
 * - An A/A control row (two identical bare clients, measured the same way) shows the method's noise floor.
 *
 *   node_modules/.bin/tsx bench/anthropic.ts        (after `pnpm build`; `pnpm bench anthropic` builds first)
 *   BENCH_ANTHROPIC_PAIRS / BENCH_ANTHROPIC_ROUNDS shorten a trial run.
 */
import { once } from "node:events";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BenchRow, r2, spawnNode, startChildStandIn, stats } from "./lib.js";

const loadBuilt = (path: string) => import(pathToFileURL(resolve(process.cwd(), path)).href);

const PAIRS = Number(process.env.BENCH_ANTHROPIC_PAIRS ?? 10000);
const ROUNDS = Number(process.env.BENCH_ANTHROPIC_ROUNDS ?? 1280);
const BLOCK = 25;
const FLUSH_EVERY = 25;
const LATENCY_MS = Number(process.env.BENCH_ANTHROPIC_LATENCY_MS ?? 1);
const TARGET = "≤ ⅓ of the best peer's added latency and CPU (issue 18; peers in ../shared/bench)";

type Op = () => Promise<unknown>;

interface Measured {
  wall: number;
  p95: number;
  cpu: number;
  cpuCi: number;
  bare: { median: number; p95: number; cpu: number };
  calls: number;
}

/** Warm-up, then alternating timed pairs (wall), then interleaved CPU blocks (wrapped blocks end with `after()`). */
async function compare(bare: Op, wrapped: Op, after: Op): Promise<Measured> {
  for (let i = 0; i < 400; i++) {
    await bare();
    await wrapped();
    if (i % BLOCK === BLOCK - 1) await after();
  }
  await after();
  const wall: [number[], number[]] = [[], []];
  for (let i = 0; i < PAIRS; i++) {
    for (const v of i % 2 ? ([1, 0] as const) : ([0, 1] as const)) {
      const t0 = performance.now();
      await (v === 0 ? bare() : wrapped());
      wall[v].push((performance.now() - t0) * 1000);
    }
    if (i % FLUSH_EVERY === FLUSH_EVERY - 1) await after();
  }
  await after();
  const block = async (v: 0 | 1) => {
    const c0 = process.cpuUsage();
    for (let i = 0; i < BLOCK; i++) await (v === 0 ? bare() : wrapped());
    if (v === 1) await after();
    await new Promise<void>((done) => setImmediate(done)); // let a due young-generation GC run inside its block
    const c = process.cpuUsage(c0);
    return c.user + c.system;
  };
  const diffs: number[] = [];
  let bareCpu = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const first = (r % 2) as 0 | 1;
    const x = await block(first);
    const y = await block((1 - first) as 0 | 1);
    const [b, w] = first === 0 ? [x, y] : [y, x];
    bareCpu += b;
    diffs.push((w - b) / BLOCK);
  }
  const mean = diffs.reduce((s, d) => s + d, 0) / diffs.length;
  const sd = Math.sqrt(diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / Math.max(1, diffs.length - 1));
  const a = stats(wall[0]);
  const b = stats(wall[1]);
  return {
    wall: b.median - a.median,
    p95: b.p95 - a.p95,
    cpu: mean,
    cpuCi: (1.96 * sd) / Math.sqrt(diffs.length),
    bare: { ...a, cpu: bareCpu / (ROUNDS * BLOCK) },
    calls: ROUNDS * BLOCK,
  };
}

function row(name: string, m: Measured, target?: string): BenchRow {
  const ratio = m.bare.cpu > 0 ? `${r2((100 * m.cpu) / m.bare.cpu)}%` : "n/a";
  return {
    name,
    medianUs: r2(m.wall),
    p95Us: r2(m.p95),
    cpuUs: r2(m.cpu),
    target,
    note:
      `added per call (wrapped − bare); CPU ${r2(m.cpu)} ± ${r2(m.cpuCi)} µs (95% CI) = ${ratio} of the bare call's ` +
      `${r2(m.bare.cpu)} µs; bare wall ${r2(m.bare.median)} µs median, ${r2(m.bare.p95)} µs p95; ${PAIRS} timed ` +
      `pairs, ${m.calls} calls each for CPU; Node ${process.versions.node}`,
  };
}

/** The fake Anthropic server in a child process (this file with `--fake-anthropic`). */
async function startChildFake(latencyMs: number): Promise<{ baseURL: string; close(): Promise<void> }> {
  const script = fileURLToPath(import.meta.url);
  const child = spawnNode(["--import", "tsx", script, "--fake-anthropic", String(latencyMs)], {
    stdio: ["pipe", "pipe", "inherit"],
    cwd: resolve(fileURLToPath(import.meta.url), "../.."),
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
  return {
    baseURL: (JSON.parse(line) as { baseURL: string }).baseURL,
    close: async () => {
      child.stdin!.end();
      await once(child, "exit");
    },
  };
}

export default async function run(): Promise<BenchRow[]> {
  const core = (await loadBuilt("packages/core/dist/index.js")) as typeof import("../packages/core/src/index.js");
  const { wrapAnthropic } = (await loadBuilt(
    "packages/anthropic/dist/index.js",
  )) as typeof import("../packages/anthropic/src/index.js");
  const sdk = await loadBuilt("packages/anthropic/node_modules/@anthropic-ai/sdk/index.mjs");
  const Anthropic = sdk.default;
  const [standIn, fake] = await Promise.all([startChildStandIn(), startChildFake(LATENCY_MS)]);
  // Delivery happens in the `flush()` that ends each wrapped block (its CPU is counted), not during timed calls.
  const pp = new core.PandaProbe({
    ...standIn.options,
    tracesPerMinute: 0,
    batchSize: 1000,
    flushIntervalMs: 3_600_000,
  });
  const flush = () => pp.flush({ timeoutMs: 30_000 });
  let traces = 0;
  const counted =
    (op: Op): Op =>
    () => (traces++, op());
  const drain = async (stream: AsyncIterable<unknown>) => {
    for await (const _ of stream);
  };
  const params = {
    model: "claude-sonnet-5-5",
    max_tokens: 256,
    messages: [{ role: "user", content: "Weather in Paris?" }],
    temperature: 0.2,
  };
  const streamParams = { ...params, stream: true as const };
  const client = () => new Anthropic({ apiKey: "sk-ant-fake", baseURL: fake.baseURL, maxRetries: 0 });
  const bare = client();
  const bare2 = client();
  const wrapped = wrapAnthropic(client(), { client: pp, userId: "bench-user" });
  const rows: BenchRow[] = [];

  const control = await compare(
    () => bare.messages.create(params),
    () => bare2.messages.create(params),
    flush,
  );
  rows.push(row("anthropic: A/A control, bare vs bare client over HTTP (noise floor of the rows below)", control));
  const created = await compare(
    () => bare.messages.create(params),
    counted(() => wrapped.messages.create(params)),
    flush,
  );
  rows.push(row("anthropic: messages.create, HTTP — added by wrapAnthropic", created, TARGET));
  const streamed = await compare(
    async () => drain(await bare.messages.create(streamParams)),
    counted(async () => drain(await wrapped.messages.create(streamParams))),
    flush,
  );
  rows.push(row("anthropic: messages.create stream (8 events), HTTP — added by wrapAnthropic", streamed, TARGET));

  await pp.shutdown({ timeoutMs: 30_000 });
  const got = await standIn.count();
  await Promise.all([standIn.close(), fake.close()]);
  if (got.traces !== traces || got.schemaErrors > 0) {
    throw new Error(`stand-in received ${got.traces} of ${traces} traces (${got.schemaErrors} schema errors)`);
  }
  return rows;
}

if (process.argv.includes("--fake-anthropic")) {
  const { startFakeAnthropic } = await import("../packages/anthropic/test/support/fake-anthropic-server.js");
  const latencyMs = Number(process.argv[process.argv.indexOf("--fake-anthropic") + 1]);
  const server = await startFakeAnthropic({ latencyMs });
  process.stdout.write(`${JSON.stringify({ baseURL: server.baseURL })}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => void server.close().then(() => process.exit(0)));
} else if (/anthropic\.ts$/.test(process.argv[1] ?? "")) {
  void run().then((rows) => {
    for (const r of rows) console.log(JSON.stringify(r));
  });
}
