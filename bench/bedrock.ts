/**
 * `@pandaprobe/bedrock` overhead: the same `@aws-sdk/client-bedrock-runtime` client (newest tested release), bare and
 * wrapped, in the same run, for each traced command, measured the way bench/openai.ts measures `wrapOpenAI`.
 *
 * - The fake Bedrock Runtime (HTTP/2, SigV4-signed requests, binary event streams; this file started with
 *   `--fake-bedrock`) and the PandaProbe stand-in each run in their own child process, so the CPU measured is this
 *   process's only: the AWS client, the middleware, core, serialisation and HTTP delivery.
 * - The wrapped client sends through a real `PandaProbe` client (stand-in options, default sender); at the end the
 *   stand-in must hold every trace, schema-valid.
 * - Wall: every call is timed on its own (from `send` to the output; a stream until fully read), bare and wrapped
 *   alternating (AB, BA, ...) so drift cancels; the row is the difference of the per-call medians (and of the p95s).
 *   Delivery runs between pairs, untimed.
 * - CPU: interleaved blocks of 25 bare / 25 wrapped calls; each wrapped block ends with `flush()`, so the added CPU
 *   includes serialisation and delivery. The row is the mean of the per-round differences with its 95% confidence
 *   interval; the note gives the ratio to the bare call's own cost.
 * - An A/A control row (two identical bare clients) shows the method's noise floor.
 *
 *   node_modules/.bin/tsx bench/bedrock.ts        (after `pnpm build`; `pnpm bench bedrock` builds first)
 */
import { once } from "node:events";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BenchRow, r2, spawnNode, startChildStandIn, stats } from "./lib.js";

const loadBuilt = (path: string) => import(pathToFileURL(resolve(process.cwd(), path)).href);

const PAIRS = Number(process.env.BENCH_BEDROCK_PAIRS ?? 3000);
const ROUNDS = Number(process.env.BENCH_BEDROCK_ROUNDS ?? 400);
const BLOCK = 25;
const FLUSH_EVERY = 25;
/** The fake server's latency before it answers (our process idles meanwhile, as with the real API). */
const LATENCY_MS = Number(process.env.BENCH_BEDROCK_LATENCY_MS ?? 1);

type Op = () => Promise<unknown>;

interface Added {
  wall: number;
  p95: number;
  cpu: number;
  cpuCi: number;
  bare: { median: number; cpu: number };
  wrapped: { median: number; cpu: number };
  calls: number;
}

/** Timed alternating pairs (wall), then interleaved CPU blocks of `BLOCK` calls each (wrapped ones end with `after()`). */
async function ab(bare: Op, wrapped: Op, after: Op): Promise<Added> {
  for (let i = 0; i < 300; i++) {
    await bare();
    await wrapped();
    if (i % BLOCK === BLOCK - 1) await after();
  }
  await after();
  const wall: [number[], number[]] = [[], []];
  const timed = async (v: 0 | 1) => {
    const t0 = performance.now();
    await (v === 0 ? bare() : wrapped());
    wall[v].push((performance.now() - t0) * 1000);
  };
  for (let i = 0; i < PAIRS; i++) {
    const first = (i % 2) as 0 | 1;
    await timed(first);
    await timed((1 - first) as 0 | 1);
    if (i % FLUSH_EVERY === FLUSH_EVERY - 1) await after();
  }
  await after();
  const cpu = [0, 0];
  const block = async (v: 0 | 1) => {
    const c0 = process.cpuUsage();
    for (let i = 0; i < BLOCK; i++) await (v === 0 ? bare() : wrapped());
    if (v === 1) await after();
    await new Promise<void>((r) => setImmediate(r)); // let a pending young-generation GC run inside its own block
    const c = process.cpuUsage(c0);
    cpu[v] += c.user + c.system;
    return c.user + c.system;
  };
  const diffs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const [first, second] = r % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const);
    const x = await block(first);
    const y = await block(second);
    diffs.push((first === 1 ? x - y : y - x) / BLOCK);
  }
  const a = stats(wall[0]);
  const b = stats(wall[1]);
  const mean = diffs.reduce((s, d) => s + d, 0) / ROUNDS;
  const sd = Math.sqrt(diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / Math.max(1, ROUNDS - 1));
  const calls = ROUNDS * BLOCK;
  return {
    wall: b.median - a.median,
    p95: b.p95 - a.p95,
    cpu: mean,
    cpuCi: (1.96 * sd) / Math.sqrt(ROUNDS),
    bare: { median: a.median, cpu: cpu[0] / calls },
    wrapped: { median: b.median, cpu: cpu[1] / calls },
    calls,
  };
}

function row(name: string, x: Added): BenchRow {
  const pct = (part: number, whole: number) => `${r2((100 * part) / whole)}%`;
  return {
    name,
    medianUs: r2(x.wall),
    p95Us: r2(x.p95),
    cpuUs: r2(x.cpu),
    note:
      `added per call (wrapped − bare): wall ${r2(x.wall)} µs = ${pct(x.wall, x.bare.median)} of the bare call's ` +
      `${r2(x.bare.median)} µs median; CPU ${r2(x.cpu)} ± ${r2(x.cpuCi)} µs (95% CI) = ${pct(x.cpu, x.bare.cpu)} of the ` +
      `bare call's ${r2(x.bare.cpu)} µs; ${PAIRS} timed pairs, ${x.calls} calls each for CPU; Node ${process.versions.node}`,
  };
}

/** The fake Bedrock Runtime in a child process (this file with `--fake-bedrock`). */
async function startChildFakeBedrock(latencyMs: number): Promise<{ endpoint: string; close(): Promise<void> }> {
  const script = fileURLToPath(import.meta.url);
  const child = spawnNode(["--import", "tsx", script, "--fake-bedrock", String(latencyMs)], {
    stdio: ["pipe", "pipe", "inherit"],
    cwd: resolve(fileURLToPath(import.meta.url), "../.."),
  });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, "line")) as [string];
  return {
    endpoint: (JSON.parse(line) as { endpoint: string }).endpoint,
    close: async () => {
      child.stdin!.end();
      await once(child, "exit");
    },
  };
}

export default async function run(): Promise<BenchRow[]> {
  const core = (await loadBuilt("packages/core/dist/index.js")) as typeof import("../packages/core/src/index.js");
  const { wrapBedrock } = (await loadBuilt(
    "packages/bedrock/dist/index.js",
  )) as typeof import("../packages/bedrock/src/index.js");
  const sdk = await loadBuilt("packages/bedrock/node_modules/@aws-sdk/client-bedrock-runtime/dist-cjs/index.js");
  const [standIn, fake] = await Promise.all([startChildStandIn(), startChildFakeBedrock(LATENCY_MS)]);
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
  const client = () =>
    new sdk.BedrockRuntimeClient({
      region: "us-east-1",
      endpoint: fake.endpoint,
      maxAttempts: 1,
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "bench-secret" },
    });
  const bare = client();
  const bare2 = client();
  const wrapped = wrapBedrock(client(), { client: pp, userId: "bench-user" });
  const modelId = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
  const messages = [{ role: "user", content: [{ text: "Weather in Paris?" }] }];
  const inferenceConfig = { maxTokens: 256, temperature: 0.2 };
  const body = JSON.stringify({
    anthropic_version: "bedrock-2023-05-31",
    max_tokens: 256,
    messages: [{ role: "user", content: "Weather in Paris?" }],
  });
  const commands: Array<[string, (c: any) => Promise<unknown>]> = [
    ["Converse", (c) => c.send(new sdk.ConverseCommand({ modelId, messages, inferenceConfig }))],
    [
      "ConverseStream (7 events)",
      async (c) => drain((await c.send(new sdk.ConverseStreamCommand({ modelId, messages, inferenceConfig }))).stream),
    ],
    ["InvokeModel (Claude body)", (c) => c.send(new sdk.InvokeModelCommand({ modelId, body }))],
    [
      "InvokeModelWithResponseStream (Claude, 8 chunks)",
      async (c) => drain((await c.send(new sdk.InvokeModelWithResponseStreamCommand({ modelId, body }))).body),
    ],
  ];

  const rows: BenchRow[] = [];
  const [, converse] = commands[0];
  const control = await ab(
    () => converse(bare),
    () => converse(bare2),
    flush,
  );
  rows.push({
    ...row("bedrock: A/A control, bare vs bare client, Converse over HTTP/2 (noise floor of the rows below)", control),
    note: `difference between two identical bare clients; CPU ${r2(control.cpu)} ± ${r2(control.cpuCi)} µs (95% CI)`,
  });
  for (const [name, op] of commands) {
    const added = await ab(
      () => op(bare),
      counted(() => op(wrapped)),
      flush,
    );
    rows.push(row(`bedrock: ${name}, HTTP/2 — added by wrapBedrock`, added));
  }

  await pp.shutdown({ timeoutMs: 30_000 });
  const got = await standIn.count();
  for (const c of [bare, bare2, wrapped]) c.destroy();
  await Promise.all([standIn.close(), fake.close()]);
  if (got.traces !== traces || got.schemaErrors > 0) {
    throw new Error(`stand-in received ${got.traces} of ${traces} traces (${got.schemaErrors} schema errors)`);
  }
  return rows;
}

if (process.argv.includes("--fake-bedrock")) {
  const { startFakeBedrock } = await import("../packages/bedrock/test/support/fake-bedrock-server.js");
  const server = await startFakeBedrock({
    latencyMs: Number(process.argv[process.argv.indexOf("--fake-bedrock") + 1]),
  });
  process.stdout.write(`${JSON.stringify({ endpoint: server.endpoint })}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => void server.close().then(() => process.exit(0)));
} else if (/bedrock\.ts$/.test(process.argv[1] ?? "")) {
  void run().then((rows) => {
    for (const row of rows) console.log(JSON.stringify(row));
  });
}
