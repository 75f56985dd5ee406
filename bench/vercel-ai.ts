/**
 * AI SDK telemetry overhead: `generateText` with the SDK's own mock model, with and without the
 * PandaProbe integration (an enabled client whose `fetch` answers 202 at once, so the numbers are
 * the SDK's cost, not the network's). Target: ≤ 50 µs added per call (median) on Node 24.
 *
 * AI SDK 7 needs Node >= 22; on Node 20 only the AI SDK 6 rows run. Standalone on Node 24:
 *   npx -y node@24 node_modules/tsx/dist/cli.mjs bench/vercel-ai.ts
 */
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { measure, r2, type BenchRow } from "./lib.js";

// Run from the repo root (as `pnpm bench` does); works whether tsx compiles this file as ESM or CJS.
const AI_DIR = resolve(process.cwd(), "packages/vercel-ai/node_modules");
const load = (spec: string) => import(pathToFileURL(join(AI_DIR, spec)).href);
// The built packages (`pnpm bench` builds first): one copy of core, shared with the integration.
const loadBuilt = (path: string) => import(pathToFileURL(resolve(process.cwd(), path)).href);

function benchClient(PandaProbe: typeof import("../packages/core/src/index.js").PandaProbe) {
  return new PandaProbe({
    apiKey: "sk_pp_bench",
    projectName: "bench",
    endpoint: "http://127.0.0.1:9",
    maxQueueSize: 1_000_000,
    fetch: async () => new Response("{}", { status: 202, headers: { "content-type": "application/json" } }),
  });
}

async function pair(label: string, plain: () => Promise<unknown>, traced: () => Promise<unknown>): Promise<BenchRow[]> {
  const opts = { rounds: 60, batch: 50, warmup: 500, isAsync: true };
  const base = await measure(plain, opts);
  const withPp = await measure(traced, opts);
  const added = withPp.medianUs - base.medianUs;
  return [
    { name: `vercel-ai: generateText baseline (${label})`, medianUs: r2(base.medianUs), p95Us: r2(base.p95Us), cpuUs: r2(base.cpuUs) },
    {
      name: `vercel-ai: generateText + PandaProbe (${label})`,
      medianUs: r2(withPp.medianUs),
      p95Us: r2(withPp.p95Us),
      cpuUs: r2(withPp.cpuUs),
      target: "≤ 50 µs added (median, Node 24)",
      note: `added ${r2(added)} µs/call median (${r2(withPp.cpuUs - base.cpuUs)} µs CPU); Node ${process.versions.node}`,
    },
  ];
}

export default async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const { PandaProbe } = await loadBuilt("packages/core/dist/index.js");
  const { createPandaProbeTelemetry, createPandaProbeTracer } = (await loadBuilt(
    "packages/vercel-ai/dist/index.js",
  )) as typeof import("../packages/vercel-ai/src/index.js");
  const client = benchClient(PandaProbe);
  const nodeMajor = Number(process.versions.node.split(".")[0]);
  const response = { id: "r", modelId: "mock", timestamp: new Date(0) };

  if (nodeMajor >= 22) {
    const ai = await load("ai/dist/index.js");
    const { MockLanguageModelV4 } = await load("ai/dist/test/index.js");
    const usage = { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } };
    const model = new MockLanguageModelV4({
      doGenerate: async () => ({ content: [{ type: "text", text: "hi" }], finishReason: { unified: "stop", raw: "stop" }, usage, warnings: [], response }),
    });
    const integration = createPandaProbeTelemetry({ client, userId: "bench-user" });
    // The adapter and the AI SDK's own telemetry dispatch alone (nothing serialized or sent).
    const disabled = createPandaProbeTelemetry({ client: new PandaProbe({ enabled: false }) });
    const opts = { rounds: 60, batch: 50, warmup: 500, isAsync: true };
    const off = await measure(() => ai.generateText({ model, prompt: "hello", telemetry: { integrations: [disabled] } }), opts);
    rows.push({ name: "vercel-ai: generateText + PandaProbe, client disabled (ai 7)", medianUs: r2(off.medianUs), p95Us: r2(off.p95Us), cpuUs: r2(off.cpuUs), note: "adapter + AI SDK dispatch cost, no serialization/transport" });
    rows.push(
      ...(await pair(
        "ai 7, PandaProbeTelemetry",
        () => ai.generateText({ model, prompt: "hello" }),
        () => ai.generateText({ model, prompt: "hello", telemetry: { integrations: [integration] } }),
      )),
    );
  }

  const ai6 = await load("ai-v6/dist/index.mjs");
  const { MockLanguageModelV3 } = await load("ai-v6/dist/test/index.mjs");
  const usage6 = { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } };
  const model6 = new MockLanguageModelV3({
    doGenerate: async () => ({ content: [{ type: "text", text: "hi" }], finishReason: { unified: "stop", raw: "stop" }, usage: usage6, warnings: [], response }),
  });
  const tracer = createPandaProbeTracer({ client });
  rows.push(
    ...(await pair(
      "ai 6, createPandaProbeTracer",
      () => ai6.generateText({ model: model6, prompt: "hello" }),
      () => ai6.generateText({ model: model6, prompt: "hello", experimental_telemetry: { isEnabled: true, tracer, metadata: { userId: "bench-user" } } }),
    )),
  );
  await client.shutdown({ timeoutMs: 2000 });
  return rows;
}

if (/vercel-ai\.ts$/.test(process.argv[1] ?? "")) {
  void run().then((rows) => {
    for (const row of rows) console.log(JSON.stringify(row));
  });
}
