/**
 * `@pandaprobe/anthropic` overhead: the same `@anthropic-ai/sdk` 1.x client, bare and wrapped, in the same run, for
 * `messages.create` and a streamed `messages.create({ stream: true })` (the events `messages.stream()` reads). The
 * method is bench/openai.ts's (`compareAB` in bench/lib.ts, shared by every wrapped-client bench), so the rows compare:
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
import {
  addedRow,
  type BenchRow,
  compareAB,
  type CompareOptions,
  loadBuilt,
  runIfMain,
  serveFakeInChild,
  startWrappedClientBench,
  drain,
  startChildFake,
} from "./lib.js";

const PAIRS = Number(process.env.BENCH_ANTHROPIC_PAIRS ?? 10000);
const ROUNDS = Number(process.env.BENCH_ANTHROPIC_ROUNDS ?? 1280);
const BLOCK = 25;
const FLUSH_EVERY = 25;
const LATENCY_MS = Number(process.env.BENCH_ANTHROPIC_LATENCY_MS ?? 1);
const TARGET = "≤ ⅓ of the best peer's added latency and CPU (issue 18; peers in ../shared/bench)";

/** Timed pairs, CPU rounds and the rest of the method (bench/lib.ts `compareAB`). */
const RUN: CompareOptions = { pairs: PAIRS, rounds: ROUNDS, block: BLOCK, flushEvery: FLUSH_EVERY };

export default async function run(): Promise<BenchRow[]> {
  const core = (await loadBuilt("packages/core/dist/index.js")) as typeof import("../packages/core/src/index.js");
  const { wrapAnthropic } = (await loadBuilt(
    "packages/anthropic/dist/index.js",
  )) as typeof import("../packages/anthropic/src/index.js");
  const sdk = await loadBuilt("packages/anthropic/node_modules/@anthropic-ai/sdk/index.mjs");
  const Anthropic = sdk.default;
  const { fake, pp, flush, counted, finish } = await startWrappedClientBench(
    core.PandaProbe,
    startChildFake<{ baseURL: string }>(import.meta.url, "--fake-anthropic", LATENCY_MS),
  );
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

  const control = await compareAB(
    () => bare.messages.create(params),
    () => bare2.messages.create(params),
    flush,
    RUN,
  );
  rows.push(addedRow("anthropic: A/A control, bare vs bare client over HTTP (noise floor of the rows below)", control));
  const created = await compareAB(
    () => bare.messages.create(params),
    counted(() => wrapped.messages.create(params)),
    flush,
    RUN,
  );
  rows.push(addedRow("anthropic: messages.create, HTTP — added by wrapAnthropic", created, TARGET));
  const streamed = await compareAB(
    async () => drain(await bare.messages.create(streamParams)),
    counted(async () => drain(await wrapped.messages.create(streamParams))),
    flush,
    RUN,
  );
  rows.push(addedRow("anthropic: messages.create stream (8 events), HTTP — added by wrapAnthropic", streamed, TARGET));

  await finish();
  return rows;
}

if (
  !(await serveFakeInChild(
    "--fake-anthropic",
    async (options) =>
      (await import("../packages/anthropic/test/support/fake-anthropic-server.js")).startFakeAnthropic(options),
    (server) => ({ baseURL: server.baseURL }),
  ))
)
  runIfMain(import.meta.url, run);
