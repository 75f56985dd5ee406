/**
 * `@pandaprobe/openai` overhead, as issue 4 defines it: the same `openai` client (v6; v7 needs
 * Node >= 22), bare and wrapped, in the same run. Target on Node 20: ≤ 15 µs added per call (median
 * wall) and ≤ 60 µs CPU added per call, serialisation and delivery included.
 *
 * - The fake OpenAI server and the PandaProbe stand-in each run in their own child process (the fake
 *   server is this file started with `--fake-openai`), so the CPU measured is this process's only:
 *   the OpenAI client, the wrapper, core, serialisation and HTTP delivery.
 * - The wrapped client sends through a real `PandaProbe` client (stand-in options, default sender; no
 *   client-side rate limit); at the end the stand-in must hold every trace, schema-valid.
 * - Wall: every call is timed on its own (from `create` to the awaited result; for a stream, until it is
 *   fully consumed), bare and wrapped calls alternating (AB, BA, AB, ...; 10000 pairs) so drift cancels; the
 *   row is the difference of the per-call medians (and of the p95s). Delivery runs between pairs, untimed.
 * - CPU: interleaved blocks of 25 bare / 25 wrapped calls (1280 rounds); each wrapped block ends with `flush()`,
 *   so the added CPU includes serialisation and delivery. Every block ends with one event-loop turn, where V8's
 *   young-generation GC task runs if its block filled new space (else a block without I/O would pass its GC
 *   on). The row is the mean of the per-round differences, with its 95% confidence interval and the per-round
 *   median in the note: one bare call costs 400-1300 µs of CPU here, with rare calls of several ms, so the mean
 *   needs many rounds.
 * - An A/A control row (two identical bare clients, measured the same way) shows the method's noise floor, and a
 *   floor row (bare calls plus raw-socket delivery of their traces, no SDK code) what this machine charges for
 *   delivery alone: the share of the CPU target no SDK can avoid here.
 * - On Linux the process is pinned to CPU 0 and the child servers to the other CPUs (bench/lib.ts).
 * - The in-memory rows give the OpenAI client a `fetch` that answers at once (no socket): they isolate
 *   our cost from the OpenAI round trip. "core alone" records the same span with core only.
 *
 *   node_modules/.bin/tsx bench/openai.ts        (after `pnpm build`; `pnpm bench openai` builds first)
 */
import { once } from "node:events";
import { connect } from "node:net";
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

// The built packages (`pnpm bench` builds first): one copy of core, shared with the integration.

const MESSAGES = [{ role: "user", content: "Weather in Paris?" }];
const TARGET = "≤ 15 µs added median, ≤ 60 µs added CPU (Node 20)";
/** Timed bare/wrapped pairs (wall) and interleaved CPU rounds of `BLOCK` calls per variant. */
const PAIRS = Number(process.env.BENCH_OPENAI_PAIRS ?? 10000);
const ROUNDS = Number(process.env.BENCH_OPENAI_ROUNDS ?? 1280);
const BLOCK = 25;
/** Delivery (`flush()`) runs between timed pairs every this many pairs, untimed. */
const FLUSH_EVERY = Number(process.env.BENCH_OPENAI_FLUSH_EVERY ?? 25);
/**
 * The fake OpenAI server's latency before it answers (kept to within microseconds, see fake-openai-server):
 * our process idles meanwhile, as with the real API.
 */
const LATENCY_MS = Number(process.env.BENCH_OPENAI_LATENCY_MS ?? 1);

/** Chat completion body and SSE events, as the fake server sends them (7 events with usage). */
function chatFixtures(model: string) {
  const usage = {
    prompt_tokens: 12,
    completion_tokens: 7,
    total_tokens: 19,
    prompt_tokens_details: { cached_tokens: 4 },
    completion_tokens_details: { reasoning_tokens: 3 },
  };
  const base = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: `${model}-2024-08-06` };
  const chunk = (delta: unknown, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    usage: null,
  });
  const events = [
    chunk({ role: "assistant", content: "", refusal: null }),
    ...["It ", "is ", "sunny."].map((content) => chunk({ content })),
    chunk({}, "stop"),
    { ...base, choices: [], usage },
  ];
  const json = JSON.stringify({
    ...base,
    object: "chat.completion",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: "It is sunny.", refusal: null },
        finish_reason: "stop",
        logprobs: null,
      },
    ],
    usage,
  });
  const sse = `${events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join("")}data: [DONE]\n\n`;
  return { json, sse, usage };
}

/**
 * The machine's own cost of HTTP delivery, with no SDK code: trace bodies exactly as the wrapper sends them for
 * one `create` (986 B; fresh trace and span ids) written to the stand-in on one raw keep-alive socket, a batch per
 * write (as the transport pipelines them), until every response has arrived (status lines counted, no parsing).
 */
async function rawDelivery(options: {
  apiKey: string;
  projectName: string;
  endpoint: string;
}): Promise<{ deliver(n: number): Promise<void>; close(): void }> {
  const url = new URL(options.endpoint);
  const socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true });
  await once(socket, "connect");
  const message = '{"messages":[{"role":"user","content":"Weather in Paris?"}]}';
  const output = '{"messages":[{"role":"assistant","content":"It is sunny.","refusal":null}]}';
  const at = new Date().toISOString().replace("Z", "000Z");
  const body = (traceId: string, spanId: string) =>
    `{"trace_id":"${traceId}","name":"openai-chat","status":"COMPLETED","started_at":"${at}","ended_at":"${at}","input":${message},"output":${output},"user_id":"bench-user",` +
    `"spans":[{"span_id":"${spanId}","name":"openai-chat","kind":"LLM","status":"OK","started_at":"${at}","ended_at":"${at}","input":${message},"output":${output},"model":"gpt-4o-mini-2024-08-06",` +
    `"token_usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19,"reasoning_tokens":3,"cache_read_tokens":4},"metadata":{"finish_reason":"stop","response_id":"chatcmpl-1","request_id":"req_1"},"model_parameters":{"temperature":0.2}}]}`;
  const length = body(crypto.randomUUID(), crypto.randomUUID()).length;
  const head = `POST /traces HTTP/1.1\r\nHost: ${url.host}\r\nX-API-Key: ${options.apiKey}\r\nX-Project-Name: ${options.projectName}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
  let due = 0,
    tail = "",
    done: (() => void) | undefined;
  socket.setEncoding("latin1");
  socket.on("data", (chunk: string) => {
    const text = tail + chunk;
    for (let i = text.indexOf("HTTP/1.1 "); i >= 0; i = text.indexOf("HTTP/1.1 ", i + 1)) due--;
    tail = text.slice(-8);
    if (due <= 0) done?.();
  });
  return {
    async deliver(n) {
      let wire = "";
      for (let i = 0; i < n; i++) wire += head + body(crypto.randomUUID(), crypto.randomUUID());
      due = n;
      const answered = new Promise<void>((resolve) => (done = resolve));
      socket.write(wire, "latin1");
      await answered;
    },
    close: () => socket.destroy(),
  };
}

/** Timed pairs, CPU rounds and the rest of the method (bench/lib.ts `compareAB`). */
const RUN: CompareOptions = { pairs: PAIRS, rounds: ROUNDS, block: BLOCK, flushEvery: FLUSH_EVERY };

export default async function run(): Promise<BenchRow[]> {
  const core = (await loadBuilt("packages/core/dist/index.js")) as typeof import("../packages/core/src/index.js");
  const kit = (await loadBuilt(
    "packages/core/dist/integration.js",
  )) as typeof import("../packages/core/src/integration/index.js");
  const { wrapOpenAI } = (await loadBuilt(
    "packages/openai/dist/index.js",
  )) as typeof import("../packages/openai/src/index.js");
  const OpenAI = (await loadBuilt("packages/openai/node_modules/openai-v6/index.js")).default;
  const { fake, pp, standIn, flush, counted, expect, finish } = await startWrappedClientBench(
    core.PandaProbe,
    startChildFake<{ baseURL: string }>(import.meta.url, "--fake-openai", LATENCY_MS),
  );
  const params = { model: "gpt-4o-mini", messages: MESSAGES, temperature: 0.2 };
  const streamParams = { ...params, stream: true as const, stream_options: { include_usage: true } };
  const rows: BenchRow[] = [];

  // Over HTTP to the fake OpenAI server.
  const http = () => new OpenAI({ apiKey: "sk-fake", baseURL: fake.baseURL, maxRetries: 0 });
  const bare = http();
  const wrapped = wrapOpenAI(http(), { client: pp, userId: "bench-user" });
  // A/A control: two bare clients measured the same way; its difference is the method's noise floor.
  const bare2 = http();
  const control = await compareAB(
    () => bare.chat.completions.create(params),
    () => bare2.chat.completions.create(params),
    flush,
    RUN,
  );
  rows.push({
    ...addedRow("openai: A/A control, bare vs bare client over HTTP (noise floor of the rows below)", control),
    note: `difference between two identical bare clients; CPU ${r2(control.cpu)} ± ${r2(control.cpuCi)} µs (95% CI), per-round median ${r2(control.cpuMedian)}; ${control.pairs} timed pairs, ${control.calls} calls each for CPU`,
  });
  const plain = await compareAB(
    () => bare.chat.completions.create(params),
    counted(() => wrapped.chat.completions.create(params)),
    flush,
    RUN,
  );
  rows.push(addedRow("openai: chat.completions.create, HTTP — added by wrapOpenAI", plain, TARGET));
  // The floor: what this machine charges for delivering the traces of those calls with no SDK code at all.
  const raw = await rawDelivery(standIn.options);
  const floor = await compareAB(
    () => bare.chat.completions.create(params),
    () => bare2.chat.completions.create(params),
    () => (expect(BLOCK), raw.deliver(BLOCK)),
    { ...RUN, pairs: 0 },
  );
  raw.close();
  rows.push({
    ...addedRow(
      "openai: floor, no SDK code: bare calls + raw-socket delivery of their traces (the machine's own share of the CPU target)",
      floor,
    ),
    medianUs: NaN,
    p95Us: NaN,
    note: `bare calls, each block of ${BLOCK} followed by its ${BLOCK} trace bodies (986 B, as the wrapper sends them) written to the stand-in in one write on a raw socket, responses counted, nothing parsed; CPU ${r2(floor.cpu)} ± ${r2(floor.cpuCi)} µs per call (95% CI), per-round median ${r2(floor.cpuMedian)}; ${floor.calls} calls each`,
  });
  const streamed = await compareAB(
    async () => drain(await bare.chat.completions.create(streamParams)),
    counted(async () => drain(await wrapped.chat.completions.create(streamParams))),
    flush,
    RUN,
  );
  rows.push(
    addedRow("openai: chat.completions.create stream (7 events), HTTP — added by wrapOpenAI", streamed, TARGET),
  );

  // In memory: the OpenAI client's `fetch` answers at once, so only client + wrapper + core run.
  const { json, sse, usage } = chatFixtures(params.model);
  const memFetch = async (_url: unknown, init?: { body?: unknown }) =>
    typeof init?.body === "string" && init.body.includes('"stream":true')
      ? new Response(sse, { status: 200, headers: { "content-type": "text/event-stream", "x-request-id": "req_1" } })
      : new Response(json, { status: 200, headers: { "content-type": "application/json", "x-request-id": "req_1" } });
  const mem = () => new OpenAI({ apiKey: "sk-fake", baseURL: "http://127.0.0.1:9/v1", maxRetries: 0, fetch: memFetch });
  const memBare = mem();
  const memWrapped = wrapOpenAI(mem(), { client: pp, userId: "bench-user" });
  const memPlain = await compareAB(
    () => memBare.chat.completions.create(params),
    counted(() => memWrapped.chat.completions.create(params)),
    flush,
    RUN,
  );
  rows.push(addedRow("openai: chat.completions.create, in-memory fetch — added by wrapOpenAI", memPlain));
  const memStreamed = await compareAB(
    async () => drain(await memBare.chat.completions.create(streamParams)),
    counted(async () => drain(await memWrapped.chat.completions.create(streamParams))),
    flush,
    RUN,
  );
  rows.push(
    addedRow("openai: chat.completions.create stream (7 events), in-memory fetch — added by wrapOpenAI", memStreamed),
  );

  // Core alone: the span a wrapped call records (standalone trace), without the OpenAI client.
  const output = { messages: [{ role: "assistant", content: "It is sunny.", refusal: null }] };
  const coreOnly = async () => {
    const span = core.startSpan("openai-chat", {
      kind: "LLM",
      input: { messages: MESSAGES.slice() },
      model: params.model,
      modelParameters: kit.pickModelParameters(params),
      traceName: "openai-chat",
      trace: { client: pp, userId: "bench-user" },
    });
    span.setModel("gpt-4o-mini-2024-08-06");
    span.setTokenUsage(kit.normalizeTokenUsage(usage)!);
    span.setMetadata({ finish_reason: "stop", response_id: "chatcmpl-1", request_id: "req_1" });
    span.end({ output });
  };
  const coreAlone = await compareAB(async () => undefined, counted(coreOnly), flush, RUN);
  rows.push({
    ...addedRow("openai: core alone (the same span + standalone trace, no OpenAI client)", coreAlone),
    note: `serialisation + delivery included in CPU; ${coreAlone.calls} spans`,
  });

  await finish();
  return rows;
}

if (
  !(await serveFakeInChild(
    "--fake-openai",
    async (options) => (await import("../packages/openai/test/support/fake-openai-server.js")).startFakeOpenAI(options),
    (server) => ({ baseURL: server.baseURL }),
  ))
)
  runIfMain(import.meta.url, run);
