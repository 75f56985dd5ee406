/**
 * `@pandaprobe/mistral` overhead: the same `@mistralai/mistralai` 2.x client, bare and wrapped, in the same run. The
 * issue asks for an added latency per call in the range of `@pandaprobe/openai`'s (bench/openai.ts, same method).
 *
 * - The fake Mistral server (this file started with `--fake-mistral`, 1 ms latency kept to within microseconds) and
 *   the PandaProbe stand-in run in their own child processes, so the CPU measured is this process's only: the
 *   Mistral client, the wrapper, core, serialisation and HTTP delivery. Every trace must reach the stand-in, valid.
 * - Wall: bare and wrapped calls timed one by one, alternating (AB, BA, ...) so drift cancels; the row is the
 *   difference of the per-call medians (and p95s). Delivery runs between pairs, untimed.
 * - CPU: interleaved blocks of 25 bare / 25 wrapped calls, each wrapped block ending with `flush()` (serialisation
 *   and delivery counted); the mean of the per-round differences with its 95% confidence interval.
 * - An A/A control row (two bare clients, measured the same way) is the method's noise floor. The in-memory rows give
 *   the client a `fetch` that answers at once (no socket): our cost without the round trip.
 *
 *   node_modules/.bin/tsx bench/mistral.ts        (after `pnpm build`; `pnpm bench mistral` builds first)
 */
import { once } from "node:events";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BenchRow, r2, spawnNode, startChildStandIn, stats } from "./lib.js";

const PAIRS = Number(process.env.BENCH_MISTRAL_PAIRS ?? 4000);
const ROUNDS = Number(process.env.BENCH_MISTRAL_ROUNDS ?? 400);
const BLOCK = 25;
const LATENCY_MS = Number(process.env.BENCH_MISTRAL_LATENCY_MS ?? 1);
const TARGET = "in the range of openai's rows";

type Op = () => Promise<unknown>;

/** The built packages (`pnpm bench` builds first): one copy of core, shared with the integration. */
const loadBuilt = (path: string) => import(pathToFileURL(resolve(process.cwd(), path)).href);

interface Compared {
  wall: number;
  p95: number;
  cpu: number;
  cpuCi: number;
  bare: { median: number; cpu: number };
}

/** Wall: alternating timed pairs; CPU: interleaved blocks, the wrapped ones ending with `deliver()`. */
async function compare(bare: Op, wrapped: Op, deliver: Op): Promise<Compared> {
  for (let i = 0; i < 200; i++) await bare(), await wrapped();
  await deliver();
  const times: [number[], number[]] = [[], []];
  const ops = [bare, wrapped];
  for (let i = 0; i < PAIRS; i++) {
    for (const v of i % 2 ? [1, 0] : [0, 1]) {
      const t0 = performance.now();
      await ops[v]();
      times[v].push((performance.now() - t0) * 1000);
    }
    if (i % BLOCK === BLOCK - 1) await deliver();
  }
  await deliver();
  const blockCpu = async (v: number) => {
    const c0 = process.cpuUsage();
    for (let i = 0; i < BLOCK; i++) await ops[v]();
    if (v === 1) await deliver();
    await new Promise<void>((r) => setImmediate(r)); // a loop turn in every block: young-generation GC runs as a task
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / BLOCK;
  };
  const diffs: number[] = [];
  let bareCpu = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const first = r % 2;
    const a = await blockCpu(first);
    const b = await blockCpu(1 - first);
    const [plain, traced] = first === 0 ? [a, b] : [b, a];
    bareCpu += plain;
    diffs.push(traced - plain);
  }
  const mean = diffs.reduce((s, d) => s + d, 0) / ROUNDS;
  const sd = Math.sqrt(diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / Math.max(1, ROUNDS - 1));
  const [b, w] = [stats(times[0]), stats(times[1])];
  return {
    wall: w.median - b.median,
    p95: w.p95 - b.p95,
    cpu: mean,
    cpuCi: (1.96 * sd) / Math.sqrt(ROUNDS),
    bare: { median: b.median, cpu: bareCpu / ROUNDS },
  };
}

function row(name: string, x: Compared, target?: string): BenchRow {
  return {
    name,
    medianUs: r2(x.wall),
    p95Us: r2(x.p95),
    cpuUs: r2(x.cpu),
    target,
    note: `added per call (wrapped − bare); CPU ${r2(x.cpu)} ± ${r2(x.cpuCi)} µs (95% CI); bare ${r2(x.bare.median)} µs median, ${r2(x.bare.cpu)} µs CPU; ${PAIRS} timed pairs, ${ROUNDS * BLOCK} calls each for CPU; Node ${process.versions.node}`,
  };
}

/** The fake Mistral server in a child process. */
async function startChildFakeMistral(latencyMs: number): Promise<{ serverURL: string; close(): Promise<void> }> {
  const script = fileURLToPath(import.meta.url);
  const child = spawnNode(["--import", "tsx", script, "--fake-mistral", String(latencyMs)], {
    stdio: ["pipe", "pipe", "inherit"],
    cwd: resolve(fileURLToPath(import.meta.url), "../.."),
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
  return {
    serverURL: (JSON.parse(line) as { serverURL: string }).serverURL,
    close: async () => {
      child.stdin!.end();
      await once(child, "exit");
    },
  };
}

/** The answers of the fake server, for the in-memory fetch (Mistral's wire format). */
function fixtures() {
  const usage = {
    prompt_tokens: 12,
    completion_tokens: 7,
    total_tokens: 19,
    prompt_tokens_details: { cached_tokens: 4 },
  };
  const base = { id: "cmpl-1", object: "chat.completion.chunk", created: 1, model: "mistral-small-2506" };
  const chunk = (delta: object, finish: string | null = null, u?: object) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...(u ? { usage: u } : {}),
  });
  const events = [
    chunk({ role: "assistant", content: "" }),
    ...["It ", "is ", "sunny."].map((content) => chunk({ content })),
    chunk({ content: "" }, "stop", usage),
  ];
  const json = JSON.stringify({
    ...base,
    object: "chat.completion",
    usage,
    choices: [
      { index: 0, message: { role: "assistant", content: "It is sunny.", tool_calls: null }, finish_reason: "stop" },
    ],
  });
  return { json, sse: `${events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join("")}data: [DONE]\n\n` };
}

export default async function run(): Promise<BenchRow[]> {
  const core = (await loadBuilt("packages/core/dist/index.js")) as typeof import("../packages/core/src/index.js");
  const { wrapMistral } = (await loadBuilt(
    "packages/mistral/dist/index.js",
  )) as typeof import("../packages/mistral/src/index.js");
  const sdkDir = "packages/mistral/node_modules/@mistralai/mistralai/esm";
  const { Mistral } = await loadBuilt(`${sdkDir}/index.js`);
  const { HTTPClient } = await loadBuilt(`${sdkDir}/lib/http.js`);
  const [standIn, fake] = await Promise.all([startChildStandIn(), startChildFakeMistral(LATENCY_MS)]);
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
    model: "mistral-small-latest",
    messages: [{ role: "user", content: "Weather in Paris?" }],
    temperature: 0.2,
  };
  const rows: BenchRow[] = [];

  const http = () => new Mistral({ apiKey: "k-fake", serverURL: fake.serverURL });
  const bare = http();
  const bare2 = http();
  const wrapped = wrapMistral(http(), { client: pp, userId: "bench-user" });
  const control = await compare(
    () => bare.chat.complete(params),
    () => bare2.chat.complete(params),
    flush,
  );
  rows.push(row("mistral: A/A control, bare vs bare client over HTTP (noise floor of the rows below)", control));
  rows.push(
    row(
      "mistral: chat.complete, HTTP — added by wrapMistral",
      await compare(
        () => bare.chat.complete(params),
        counted(() => wrapped.chat.complete(params)),
        flush,
      ),
      TARGET,
    ),
  );
  rows.push(
    row(
      "mistral: chat.stream (5 events), HTTP — added by wrapMistral",
      await compare(
        async () => drain(await bare.chat.stream(params)),
        counted(async () => drain(await wrapped.chat.stream(params))),
        flush,
      ),
      TARGET,
    ),
  );

  // In memory: the client's fetcher answers at once, so only the client, the wrapper and core run.
  const { json, sse } = fixtures();
  const fetcher = async (input: Request) =>
    input.headers.get("accept") === "text/event-stream"
      ? new Response(sse, { headers: { "content-type": "text/event-stream" } })
      : new Response(json, { headers: { "content-type": "application/json" } });
  const mem = () =>
    new Mistral({ apiKey: "k-fake", serverURL: "http://127.0.0.1:9", httpClient: new HTTPClient({ fetcher }) });
  const memBare = mem();
  const memWrapped = wrapMistral(mem(), { client: pp, userId: "bench-user" });
  rows.push(
    row(
      "mistral: chat.complete, in-memory fetch — added by wrapMistral",
      await compare(
        () => memBare.chat.complete(params),
        counted(() => memWrapped.chat.complete(params)),
        flush,
      ),
    ),
  );
  rows.push(
    row(
      "mistral: chat.stream (5 events), in-memory fetch — added by wrapMistral",
      await compare(
        async () => drain(await memBare.chat.stream(params)),
        counted(async () => drain(await memWrapped.chat.stream(params))),
        flush,
      ),
    ),
  );

  await pp.shutdown({ timeoutMs: 30_000 });
  const got = await standIn.count();
  await Promise.all([standIn.close(), fake.close()]);
  if (got.traces !== traces || got.schemaErrors > 0) {
    throw new Error(`stand-in received ${got.traces} of ${traces} traces (${got.schemaErrors} schema errors)`);
  }
  return rows;
}

if (process.argv.includes("--fake-mistral")) {
  const { startFakeMistral } = await import("../packages/mistral/test/support/fake-mistral-server.js");
  const server = await startFakeMistral({
    latencyMs: Number(process.argv[process.argv.indexOf("--fake-mistral") + 1]),
  });
  process.stdout.write(`${JSON.stringify({ serverURL: server.serverURL })}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => void server.close().then(() => process.exit(0)));
} else if (/mistral\.ts$/.test(process.argv[1] ?? "")) {
  void run().then((rows) => {
    for (const row of rows) console.log(JSON.stringify(row));
  });
}
