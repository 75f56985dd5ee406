/**
 * `@pandaprobe/google-genai` overhead, measured the way `bench/openai.ts` measures `@pandaprobe/openai`: the same
 * `@google/genai` client (2.x: 3.x needs Node >= 22), bare and wrapped, in the same run, against the fake Gemini API
 * server (1 ms latency, kept to within microseconds) in a child process, with a real `PandaProbe` client sending to
 * the stand-in in another child process; at the end the stand-in must hold every trace, schema-valid.
 *
 * - Wall: every call timed on its own (from the call to the awaited result; a stream until fully read), bare and
 *   wrapped calls alternating (AB, BA, ...) so drift cancels; the row is the difference of the per-call medians (and
 *   p95s). Delivery (`flush()`) runs between pairs, untimed.
 * - CPU: interleaved blocks of 25 bare / 25 wrapped calls; each wrapped block ends with `flush()`, so the added CPU
 *   includes serialisation and delivery. The row is the mean of the per-round differences with its 95% CI.
 * - An A/A control row (two identical bare clients, measured the same way) is the method's noise floor.
 * - The ratio column of the note: added CPU / the bare call's CPU.
 *
 *   node_modules/.bin/tsx bench/google-genai.ts      (after `pnpm build`; `pnpm bench google-genai` builds first)
 *   BENCH_GENAI_PAIRS / BENCH_GENAI_ROUNDS shorten a run (defaults 4000 / 600).
 */
import { once } from "node:events";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { r2, spawnNode, startChildStandIn, stats, type BenchRow } from "./lib.js";

// The built packages (`pnpm bench` builds first): one copy of core, shared with the integration.
const loadBuilt = (path: string) => import(pathToFileURL(resolve(process.cwd(), path)).href);

const PAIRS = Number(process.env.BENCH_GENAI_PAIRS ?? 4000);
const ROUNDS = Number(process.env.BENCH_GENAI_ROUNDS ?? 600);
const BLOCK = 25;
const FLUSH_EVERY = 25;
const LATENCY_MS = Number(process.env.BENCH_GENAI_LATENCY_MS ?? 1);
const TARGET = "in the range of @pandaprobe/openai's rows";

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

/** Alternating timed pairs (wall), then interleaved CPU blocks, each wrapped block ending with `after()`. */
async function ab(bare: Op, wrapped: Op, after: Op): Promise<Added> {
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
  const cpu = [0, 0];
  const block = async (v: 0 | 1) => {
    const c0 = process.cpuUsage();
    for (let i = 0; i < BLOCK; i++) await (v === 0 ? bare() : wrapped());
    if (v === 1) await after();
    await new Promise<void>((r) => setImmediate(r)); // a loop turn in every block (V8's young-generation GC task)
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
  const calls = ROUNDS * BLOCK;
  const a = stats(wall[0]);
  const b = stats(wall[1]);
  const mean = diffs.reduce((s, d) => s + d, 0) / ROUNDS;
  const sd = Math.sqrt(diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / Math.max(1, ROUNDS - 1));
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

function row(name: string, x: Added, target?: string): BenchRow {
  return {
    name,
    medianUs: r2(x.wall),
    p95Us: r2(x.p95),
    cpuUs: r2(x.cpu),
    target,
    note:
      `added per call (wrapped − bare); CPU ${r2(x.cpu)} ± ${r2(x.cpuCi)} µs (95% CI), ` +
      `${r2((100 * x.cpu) / x.bare.cpu)}% of the bare call's ${r2(x.bare.cpu)} µs CPU; wall ${r2(x.wall)} µs = ` +
      `${r2((100 * x.wall) / x.bare.median)}% of the bare call's ${r2(x.bare.median)} µs median; ` +
      `${PAIRS} timed pairs, ${x.calls} calls each for CPU; Node ${process.versions.node}`,
  };
}

/** The fake Gemini server in a child process (this file with `--fake-gemini`). */
async function startChildFakeGemini(latencyMs: number): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const script = fileURLToPath(import.meta.url);
  const child = spawnNode(["--import", "tsx", script, "--fake-gemini", String(latencyMs)], {
    stdio: ["pipe", "pipe", "inherit"],
    cwd: resolve(fileURLToPath(import.meta.url), "../.."),
  });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, "line")) as [string];
  return {
    baseUrl: (JSON.parse(line) as { baseUrl: string }).baseUrl,
    close: async () => {
      child.stdin!.end();
      await once(child, "exit");
    },
  };
}

export default async function run(): Promise<BenchRow[]> {
  const core = (await loadBuilt("packages/core/dist/index.js")) as typeof import("../packages/core/src/index.js");
  const { wrapGoogleGenAI } = (await loadBuilt(
    "packages/google-genai/dist/index.js",
  )) as typeof import("../packages/google-genai/src/index.js");
  const { GoogleGenAI } = await loadBuilt("packages/google-genai/node_modules/genai-v2/dist/node/index.mjs");
  const [standIn, fake] = await Promise.all([startChildStandIn(), startChildFakeGemini(LATENCY_MS)]);
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
  const client = () => new GoogleGenAI({ apiKey: "fake-gemini-key", httpOptions: { baseUrl: fake.baseUrl } });
  const bare = client();
  const bare2 = client();
  const wrapped = wrapGoogleGenAI(client(), { client: pp, userId: "bench-user" });
  const params = {
    model: "gemini-2.5-flash",
    contents: "Weather in Paris?",
    config: { systemInstruction: "You are terse.", temperature: 0.2 },
  };
  const rows: BenchRow[] = [];

  const control = await ab(
    () => bare.models.generateContent(params),
    () => bare2.models.generateContent(params),
    flush,
  );
  rows.push({
    ...row("google-genai: A/A control, bare vs bare client over HTTP (noise floor of the rows below)", control),
    target: undefined,
  });
  const plain = await ab(
    () => bare.models.generateContent(params),
    counted(() => wrapped.models.generateContent(params)),
    flush,
  );
  rows.push(row("google-genai: models.generateContent, HTTP — added by wrapGoogleGenAI", plain, TARGET));
  const streamed = await ab(
    async () => drain(await bare.models.generateContentStream(params)),
    counted(async () => drain(await wrapped.models.generateContentStream(params))),
    flush,
  );
  rows.push(
    row("google-genai: models.generateContentStream (3 chunks), HTTP — added by wrapGoogleGenAI", streamed, TARGET),
  );
  // One chat turn each time, on a fresh chat (a growing history would make later calls costlier on both sides).
  const chatted = await ab(
    () => bare.chats.create({ model: params.model }).sendMessage({ message: "Weather in Paris?" }),
    counted(() => wrapped.chats.create({ model: params.model }).sendMessage({ message: "Weather in Paris?" })),
    flush,
  );
  rows.push(row("google-genai: chat.sendMessage (first turn), HTTP — added by wrapGoogleGenAI", chatted, TARGET));

  await pp.shutdown({ timeoutMs: 30_000 });
  const got = await standIn.count();
  await Promise.all([standIn.close(), fake.close()]);
  if (got.traces !== traces || got.schemaErrors > 0) {
    throw new Error(`stand-in received ${got.traces} of ${traces} traces (${got.schemaErrors} schema errors)`);
  }
  return rows;
}

if (process.argv.includes("--fake-gemini")) {
  const { startFakeGemini } = await import("../packages/google-genai/test/support/fake-gemini-server.js");
  const server = await startFakeGemini({ latencyMs: Number(process.argv[process.argv.indexOf("--fake-gemini") + 1]) });
  process.stdout.write(`${JSON.stringify({ baseUrl: server.baseUrl })}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => void server.close().then(() => process.exit(0)));
} else if (/google-genai\.ts$/.test(process.argv[1] ?? "")) {
  void run().then((rows) => {
    for (const row of rows) console.log(JSON.stringify(row));
  });
}
