/**
 * `@pandaprobe/openai` overhead: the same `openai` client (v6; v7 needs Node >= 22) calling the local
 * fake OpenAI server over HTTP, bare and wrapped, in the same run (A/B rounds interleaved so drift
 * cancels out). The wrapped client sends through an enabled PandaProbe client whose `fetch` answers
 * 202 at once, so serialisation and the transport are counted, not the network.
 * Target: ≤ 15 µs added per call (median wall) and ≤ 60 µs CPU per call, Node 20.
 *   node_modules/.bin/tsx bench/openai.ts
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { startFakeOpenAI } from "../packages/openai/test/fake-openai-server.js";
import { performance } from "node:perf_hooks";
import { r2, stats, type BenchRow } from "./lib.js";

// The built packages (`pnpm bench` builds first): one copy of core, shared with the integration.
const loadBuilt = (path: string) => import(pathToFileURL(resolve(process.cwd(), path)).href);

const MESSAGES = [{ role: "user", content: "Weather in Paris?" }];

/**
 * Interleaved A/B: blocks of `block` bare calls then `block` wrapped calls, repeated; every call timed
 * on its own (wall) and each block's process CPU summed per variant. Reports the medians and the
 * median of the per-call differences between neighbouring A and B calls.
 */
async function abPair(label: string, bare: () => Promise<unknown>, wrapped: () => Promise<unknown>, blocks = 150, block = 20): Promise<BenchRow[]> {
  for (let i = 0; i < 300; i++) {
    await bare();
    await wrapped();
  }
  const wallA: number[] = [];
  const wallB: number[] = [];
  let cpuA = 0;
  let cpuB = 0;
  const runBlock = async (op: () => Promise<unknown>, wall: number[]) => {
    const c0 = process.cpuUsage();
    for (let i = 0; i < block; i++) {
      const t0 = performance.now();
      await op();
      wall.push((performance.now() - t0) * 1000);
    }
    const c = process.cpuUsage(c0);
    return c.user + c.system;
  };
  for (let b = 0; b < blocks; b++) {
    cpuA += await runBlock(bare, wallA);
    cpuB += await runBlock(wrapped, wallB);
  }
  const n = blocks * block;
  const a = stats(wallA);
  const t = stats(wallB);
  const diffs = wallB.map((x, i) => x - wallA[i]);
  const addedWall = stats(diffs).median;
  const addedCpu = (cpuB - cpuA) / n;
  return [
    { name: `openai: ${label} bare`, medianUs: r2(a.median), p95Us: r2(a.p95), cpuUs: r2(cpuA / n) },
    {
      name: `openai: ${label} + wrapOpenAI`,
      medianUs: r2(t.median),
      p95Us: r2(t.p95),
      cpuUs: r2(cpuB / n),
      target: "≤ 15 µs added median, ≤ 60 µs CPU",
      note: `added ${r2(t.median - a.median)} µs median (paired: ${r2(addedWall)} µs), ${r2(addedCpu)} µs CPU/call incl. serialisation + transport; ${n} calls each; Node ${process.versions.node}`,
    },
  ];
}

export default async function run(): Promise<BenchRow[]> {
  const { PandaProbe } = await loadBuilt("packages/core/dist/index.js");
  const { wrapOpenAI } = (await loadBuilt("packages/openai/dist/index.js")) as typeof import("../packages/openai/src/index.js");
  const OpenAI = (await loadBuilt("packages/openai/node_modules/openai-v6/index.js")).default;
  const fake = await startFakeOpenAI();
  const pp = new PandaProbe({
    apiKey: "sk_pp_bench",
    projectName: "bench",
    endpoint: "http://127.0.0.1:9",
    maxQueueSize: 1_000_000,
    tracesPerMinute: 0,
    fetch: async () => new Response("{}", { status: 202, headers: { "content-type": "application/json" } }),
  });
  const make = () => new OpenAI({ apiKey: "sk-fake", baseURL: fake.baseURL, maxRetries: 0 });
  const bare = make();
  const wrapped = wrapOpenAI(make(), { client: pp, userId: "bench-user" });
  const params = { model: "gpt-4o-mini", messages: MESSAGES, temperature: 0.2 };
  const drain = async (stream: AsyncIterable<unknown>) => {
    for await (const _ of stream);
  };
  const rows: BenchRow[] = [];
  rows.push(
    ...(await abPair(
      "chat.completions.create",
      () => bare.chat.completions.create(params),
      () => wrapped.chat.completions.create(params),
    )),
  );
  const streamParams = { ...params, stream: true as const, stream_options: { include_usage: true } };
  rows.push(
    ...(await abPair(
      "chat.completions.create stream (7 chunks)",
      async () => drain(await bare.chat.completions.create(streamParams)),
      async () => drain(await wrapped.chat.completions.create(streamParams)),
    )),
  );

  // Low-noise split of the added cost: the same client over an in-memory `fetch` (no socket), and
  // core alone recording the same span (span + standalone trace + serialisation + transport).
  const body = JSON.stringify({
    id: "chatcmpl-1", object: "chat.completion", created: 1, model: "gpt-4o-mini-2024-08-06",
    choices: [{ index: 0, message: { role: "assistant", content: "It is sunny.", refusal: null }, finish_reason: "stop", logprobs: null }],
    usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 3 } },
  });
  const memFetch = async () => new Response(body, { status: 200, headers: { "content-type": "application/json", "x-request-id": "req_1" } });
  const memBare = new OpenAI({ apiKey: "sk-fake", baseURL: "http://127.0.0.1:9/v1", maxRetries: 0, fetch: memFetch });
  const memWrapped = wrapOpenAI(new OpenAI({ apiKey: "sk-fake", baseURL: "http://127.0.0.1:9/v1", maxRetries: 0, fetch: memFetch }), { client: pp });
  rows.push(
    ...(await abPair(
      "create, in-memory fetch",
      () => memBare.chat.completions.create(params),
      () => memWrapped.chat.completions.create(params),
    )),
  );
  const { startInactiveSpan, pickModelParameters, normalizeTokenUsage } = await loadBuilt("packages/core/dist/index.js");
  const output = { messages: [{ role: "assistant", content: "It is sunny.", refusal: null }] };
  const usage = { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 3 } };
  const noop = async () => undefined;
  const coreOnly = async () => {
    const span = startInactiveSpan("openai-chat", {
      kind: "LLM", input: { messages: MESSAGES.slice() }, model: params.model, modelParameters: pickModelParameters(params),
      traceName: "openai-chat", trace: { client: pp, userId: "bench-user" },
    });
    span.setModel("gpt-4o-mini-2024-08-06");
    span.setTokenUsage(normalizeTokenUsage(usage));
    span.setMetadata({ finish_reason: "stop", request_id: "req_1" });
    span.end({ output });
  };
  const [, core] = await abPair("core alone: same span + standalone trace", noop, coreOnly);
  rows.push({ ...core, name: "openai: core alone (same span + standalone trace, serialisation + transport)", target: undefined });
  fake.requests.length = 0;
  await pp.shutdown({ timeoutMs: 5000 });
  await fake.close();
  return rows;
}

if (/openai\.ts$/.test(process.argv[1] ?? "")) {
  void run().then((rows) => {
    for (const row of rows) console.log(JSON.stringify(row));
  });
}
