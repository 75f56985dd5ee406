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

// The built packages (`pnpm bench` builds first): one copy of core, shared with the integration.

const PAIRS = Number(process.env.BENCH_GENAI_PAIRS ?? 4000);
const ROUNDS = Number(process.env.BENCH_GENAI_ROUNDS ?? 600);
const BLOCK = 25;
const FLUSH_EVERY = 25;
const LATENCY_MS = Number(process.env.BENCH_GENAI_LATENCY_MS ?? 1);
const TARGET = "in the range of @pandaprobe/openai's rows";

/** Timed pairs, CPU rounds and the rest of the method (bench/lib.ts `compareAB`). */
const RUN: CompareOptions = { pairs: PAIRS, rounds: ROUNDS, block: BLOCK, flushEvery: FLUSH_EVERY };

export default async function run(): Promise<BenchRow[]> {
  const core = (await loadBuilt("packages/core/dist/index.js")) as typeof import("../packages/core/src/index.js");
  const { wrapGoogleGenAI } = (await loadBuilt(
    "packages/google-genai/dist/index.js",
  )) as typeof import("../packages/google-genai/src/index.js");
  const { GoogleGenAI } = await loadBuilt("packages/google-genai/node_modules/genai-v2/dist/node/index.mjs");
  const { fake, pp, flush, counted, finish } = await startWrappedClientBench(
    core.PandaProbe,
    startChildFake<{ baseUrl: string }>(import.meta.url, "--fake-gemini", LATENCY_MS),
  );
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

  const control = await compareAB(
    () => bare.models.generateContent(params),
    () => bare2.models.generateContent(params),
    flush,
    RUN,
  );
  rows.push({
    ...addedRow("google-genai: A/A control, bare vs bare client over HTTP (noise floor of the rows below)", control),
    target: undefined,
  });
  const plain = await compareAB(
    () => bare.models.generateContent(params),
    counted(() => wrapped.models.generateContent(params)),
    flush,
    RUN,
  );
  rows.push(addedRow("google-genai: models.generateContent, HTTP — added by wrapGoogleGenAI", plain, TARGET));
  const streamed = await compareAB(
    async () => drain(await bare.models.generateContentStream(params)),
    counted(async () => drain(await wrapped.models.generateContentStream(params))),
    flush,
    RUN,
  );
  rows.push(
    addedRow(
      "google-genai: models.generateContentStream (3 chunks), HTTP — added by wrapGoogleGenAI",
      streamed,
      TARGET,
    ),
  );
  // One chat turn each time, on a fresh chat (a growing history would make later calls costlier on both sides).
  const chatted = await compareAB(
    () => bare.chats.create({ model: params.model }).sendMessage({ message: "Weather in Paris?" }),
    counted(() => wrapped.chats.create({ model: params.model }).sendMessage({ message: "Weather in Paris?" })),
    flush,
    RUN,
  );
  rows.push(addedRow("google-genai: chat.sendMessage (first turn), HTTP — added by wrapGoogleGenAI", chatted, TARGET));

  await finish();
  return rows;
}

if (
  !(await serveFakeInChild(
    "--fake-gemini",
    async (options) =>
      (await import("../packages/google-genai/test/support/fake-gemini-server.js")).startFakeGemini(options),
    (server) => ({ baseUrl: server.baseUrl }),
  ))
)
  runIfMain(import.meta.url, run);
