/**
 * `@pandaprobe/bedrock` overhead: the same `@aws-sdk/client-bedrock-runtime` client (newest tested release), bare and
 * wrapped, in the same run, for each traced command, measured the way bench/openai.ts measures `wrapOpenAI` (`compareAB`, bench/lib.ts).
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
import {
  addedRow,
  type BenchRow,
  compareAB,
  type CompareOptions,
  loadBuilt,
  r2,
  runIfMain,
  serveFakeInChild,
  startWrappedClientBench,
  drain,
  startChildFake,
} from "./lib.js";

const PAIRS = Number(process.env.BENCH_BEDROCK_PAIRS ?? 3000);
const ROUNDS = Number(process.env.BENCH_BEDROCK_ROUNDS ?? 400);
const _BLOCK = 25;
const _FLUSH_EVERY = 25;
/** The fake server's latency before it answers (our process idles meanwhile, as with the real API). */
const LATENCY_MS = Number(process.env.BENCH_BEDROCK_LATENCY_MS ?? 1);

/** Timed pairs, CPU rounds and the rest of the method (bench/lib.ts `compareAB`). */
const RUN: CompareOptions = { pairs: PAIRS, rounds: ROUNDS, warmup: 300 };

export default async function run(): Promise<BenchRow[]> {
  const core = (await loadBuilt("packages/core/dist/index.js")) as typeof import("../packages/core/src/index.js");
  const { wrapBedrock } = (await loadBuilt(
    "packages/bedrock/dist/index.js",
  )) as typeof import("../packages/bedrock/src/index.js");
  const sdk = await loadBuilt("packages/bedrock/node_modules/@aws-sdk/client-bedrock-runtime/dist-cjs/index.js");
  const { fake, pp, flush, counted, finish } = await startWrappedClientBench(
    core.PandaProbe,
    startChildFake<{ endpoint: string }>(import.meta.url, "--fake-bedrock", LATENCY_MS),
  );
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
  const control = await compareAB(
    () => converse(bare),
    () => converse(bare2),
    flush,
    RUN,
  );
  rows.push({
    ...addedRow(
      "bedrock: A/A control, bare vs bare client, Converse over HTTP/2 (noise floor of the rows below)",
      control,
    ),
    note: `difference between two identical bare clients; CPU ${r2(control.cpu)} ± ${r2(control.cpuCi)} µs (95% CI)`,
  });
  for (const [name, op] of commands) {
    const added = await compareAB(
      () => op(bare),
      counted(() => op(wrapped)),
      flush,
      RUN,
    );
    rows.push(addedRow(`bedrock: ${name}, HTTP/2 — added by wrapBedrock`, added));
  }

  for (const c of [bare, bare2, wrapped]) c.destroy();
  await finish();
  return rows;
}

if (
  !(await serveFakeInChild(
    "--fake-bedrock",
    async (options) =>
      (await import("../packages/bedrock/test/support/fake-bedrock-server.js")).startFakeBedrock(options),
    (server) => ({ endpoint: server.endpoint }),
  ))
)
  runIfMain(import.meta.url, run);
