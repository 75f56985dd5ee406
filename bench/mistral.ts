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

const PAIRS = Number(process.env.BENCH_MISTRAL_PAIRS ?? 4000);
const ROUNDS = Number(process.env.BENCH_MISTRAL_ROUNDS ?? 400);
const _BLOCK = 25;
const LATENCY_MS = Number(process.env.BENCH_MISTRAL_LATENCY_MS ?? 1);
const TARGET = "in the range of openai's rows";

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

/** Timed pairs, CPU rounds and the rest of the method (bench/lib.ts `compareAB`). */
const RUN: CompareOptions = { pairs: PAIRS, rounds: ROUNDS, warmup: 200 };

export default async function run(): Promise<BenchRow[]> {
  const core = (await loadBuilt("packages/core/dist/index.js")) as typeof import("../packages/core/src/index.js");
  const { wrapMistral } = (await loadBuilt(
    "packages/mistral/dist/index.js",
  )) as typeof import("../packages/mistral/src/index.js");
  const sdkDir = "packages/mistral/node_modules/@mistralai/mistralai/esm";
  const { Mistral } = await loadBuilt(`${sdkDir}/index.js`);
  const { HTTPClient } = await loadBuilt(`${sdkDir}/lib/http.js`);
  const { fake, pp, flush, counted, finish } = await startWrappedClientBench(
    core.PandaProbe,
    startChildFake<{ serverURL: string }>(import.meta.url, "--fake-mistral", LATENCY_MS),
  );
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
  const control = await compareAB(
    () => bare.chat.complete(params),
    () => bare2.chat.complete(params),
    flush,
    RUN,
  );
  rows.push(addedRow("mistral: A/A control, bare vs bare client over HTTP (noise floor of the rows below)", control));
  rows.push(
    addedRow(
      "mistral: chat.complete, HTTP — added by wrapMistral",
      await compareAB(
        () => bare.chat.complete(params),
        counted(() => wrapped.chat.complete(params)),
        flush,
        RUN,
      ),
      TARGET,
    ),
  );
  rows.push(
    addedRow(
      "mistral: chat.stream (5 events), HTTP — added by wrapMistral",
      await compareAB(
        async () => drain(await bare.chat.stream(params)),
        counted(async () => drain(await wrapped.chat.stream(params))),
        flush,
        RUN,
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
    addedRow(
      "mistral: chat.complete, in-memory fetch — added by wrapMistral",
      await compareAB(
        () => memBare.chat.complete(params),
        counted(() => memWrapped.chat.complete(params)),
        flush,
        RUN,
      ),
    ),
  );
  rows.push(
    addedRow(
      "mistral: chat.stream (5 events), in-memory fetch — added by wrapMistral",
      await compareAB(
        async () => drain(await memBare.chat.stream(params)),
        counted(async () => drain(await memWrapped.chat.stream(params))),
        flush,
        RUN,
      ),
    ),
  );

  await finish();
  return rows;
}

if (
  !(await serveFakeInChild(
    "--fake-mistral",
    async (options) =>
      (await import("../packages/mistral/test/support/fake-mistral-server.js")).startFakeMistral(options),
    (server) => ({ serverURL: server.serverURL }),
  ))
)
  runIfMain(import.meta.url, run);
