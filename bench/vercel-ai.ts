/**
 * AI SDK telemetry overhead: `generateText` with the SDK's own mock model, bare and traced, in the
 * same run. Traces go to the local stand-in running in a CHILD process, through the client's
 * default HTTP sender (no fake fetch), so our serialisation and delivery are counted and the
 * stand-in's request handling is not. Variants run in interleaved blocks (A B C A B C ...) so drift
 * cancels out; every call is timed on its own, and each block's process CPU includes a final
 * `flush()` (serialisation + delivery of that block's traces).
 * Target: ≤ 50 µs added per call (median) on Node 24.
 *
 * AI SDK 7 needs Node >= 22; on Node 20 only the AI SDK 6 and 5 rows run. From the repo root:
 *   npx -y node@24 node_modules/tsx/dist/cli.mjs bench/run.ts vercel-ai
 * `BENCH_AI=6,5` runs only those majors (default: 7,6,5).
 */
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { r2, startChildStandIn, stats, type BenchRow } from "./lib.js";

// Run from the repo root (as `pnpm bench` does); works whether tsx compiles this file as ESM or CJS.
const AI_DIR = resolve(process.cwd(), "packages/vercel-ai/node_modules");
const load = (spec: string) => import(pathToFileURL(join(AI_DIR, spec)).href);
// The built packages (`pnpm bench` builds first): one copy of core, shared with the integration.
const loadBuilt = (path: string) => import(pathToFileURL(resolve(process.cwd(), path)).href);

const TARGET = "≤ 50 µs added (median, Node 24)";
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 400);
const BLOCK = 25;
const MAJORS = (process.env.BENCH_AI ?? "7,6,5").split(",").map(Number);

interface Variant {
  label: string;
  op: () => Promise<unknown>;
  /** Runs after each block, inside the block's CPU measurement (e.g. `client.flush()`). */
  after?: () => Promise<unknown>;
}

interface Result {
  wall: number[];
  cpuUs: number;
}

/** Interleaved blocks of every variant; per-call wall samples and CPU µs per call (incl. `after`). */
async function interleave(variants: Variant[], blocks = BLOCKS, block = BLOCK): Promise<Result[]> {
  for (let i = 0; i < 400; i++) for (const v of variants) await v.op();
  for (const v of variants) await v.after?.();
  const results: Result[] = variants.map(() => ({ wall: [], cpuUs: 0 }));
  for (let b = 0; b < blocks; b++) {
    // Alternate the order (ABC, CBA, ...) so no variant always runs right after another one's flush.
    const order = b % 2 === 0 ? variants.map((_, i) => i) : variants.map((_, i) => variants.length - 1 - i);
    for (const i of order) {
      const { op, after } = variants[i];
      const wall = results[i].wall;
      const c0 = process.cpuUsage();
      for (let k = 0; k < block; k++) {
        const t0 = performance.now();
        await op();
        wall.push((performance.now() - t0) * 1000);
      }
      if (after) await after();
      const c = process.cpuUsage(c0);
      results[i].cpuUs += c.user + c.system;
    }
  }
  const n = blocks * block;
  for (const r of results) r.cpuUs /= n;
  return results;
}

/** Rows for interleaved variants; the first one is the baseline the others are compared with. */
function rows(
  prefix: string,
  variants: Variant[],
  results: Result[],
  extra: (i: number) => Partial<BenchRow> = () => ({}),
): BenchRow[] {
  const base = stats(results[0].wall);
  return variants.map((v, i) => {
    const s = stats(results[i].wall);
    const row: BenchRow = {
      name: `${prefix} ${v.label}`,
      medianUs: r2(s.median),
      p95Us: r2(s.p95),
      cpuUs: r2(results[i].cpuUs),
    };
    if (i > 0) {
      row.note = `added ${r2(s.median - base.median)} µs median, ${r2(results[i].cpuUs - results[0].cpuUs)} µs CPU/call`;
    }
    return { ...row, ...extra(i), note: [row.note, extra(i).note].filter(Boolean).join("; ") || undefined };
  });
}

/** An integration with the same callbacks as `proto`, doing nothing: the AI SDK's own dispatch cost. */
function noopLike(proto: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(proto)) {
    if (key === "constructor" || typeof Object.getOwnPropertyDescriptor(proto, key)?.value !== "function") continue;
    out[key] = key.startsWith("execute") ? (o: { execute: () => unknown }) => o.execute() : () => {};
  }
  return out;
}

/** An OpenTelemetry tracer whose spans do nothing (like the AI SDK's own, but with telemetry enabled). */
const noopSpan: Record<string, unknown> = {
  spanContext: () => ({ traceId: "", spanId: "", traceFlags: 0 }),
  isRecording: () => false,
};
for (const key of [
  "setAttribute",
  "setAttributes",
  "addEvent",
  "addLink",
  "addLinks",
  "setStatus",
  "updateName",
  "end",
  "recordException",
]) {
  noopSpan[key] = () => noopSpan;
}
const noopTracer = {
  startSpan: () => noopSpan,
  startActiveSpan: (...args: unknown[]) => (args[args.length - 1] as (span: unknown) => unknown)(noopSpan),
};

export default async function run(): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  const { PandaProbe } = await loadBuilt("packages/core/dist/index.js");
  const { createPandaProbeTelemetry, createPandaProbeTracer, PandaProbeTelemetry } = (await loadBuilt(
    "packages/vercel-ai/dist/index.js",
  )) as typeof import("../packages/vercel-ai/src/index.js");
  const standIn = await startChildStandIn();
  // Default sender (node:http keep-alive on Node): real HTTP to the child-process stand-in.
  const client = new PandaProbe({ ...standIn.options, maxQueueSize: 1_000_000, tracesPerMinute: 0 });
  const flush = () => client.flush();
  const nodeMajor = Number(process.versions.node.split(".")[0]);
  const response = { id: "r", modelId: "mock", timestamp: new Date(0) };
  const usage = {
    inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 5, text: 5, reasoning: 0 },
  };
  const doGenerate = async () => ({
    content: [{ type: "text", text: "hi" }],
    finishReason: { unified: "stop", raw: "stop" },
    usage,
    warnings: [],
    response,
  });
  let traced = 0;

  try {
    if (nodeMajor >= 22 && MAJORS.includes(7)) {
      const ai = await load("ai/dist/index.js");
      const { MockLanguageModelV4 } = await load("ai/dist/test/index.js");
      const model = new MockLanguageModelV4({ doGenerate });
      const integration = createPandaProbeTelemetry({ client, userId: "bench-user" });
      const disabled = createPandaProbeTelemetry({ client: new PandaProbe({ enabled: false }) });
      const noopTelemetry = noopLike(PandaProbeTelemetry.prototype);
      const variants: Variant[] = [
        { label: "baseline", op: () => ai.generateText({ model, prompt: "hello" }) },
        {
          label: "+ no-op integration, same callbacks (AI SDK dispatch only)",
          op: () => ai.generateText({ model, prompt: "hello", telemetry: { integrations: [noopTelemetry] } }),
        },
        {
          label: "+ PandaProbeTelemetry, client disabled",
          op: () => ai.generateText({ model, prompt: "hello", telemetry: { integrations: [disabled] } }),
        },
        {
          label: "+ PandaProbeTelemetry",
          op: () => ai.generateText({ model, prompt: "hello", telemetry: { integrations: [integration] } }),
          after: flush,
        },
      ];
      const results = await interleave(variants);
      traced += 400 + BLOCKS * BLOCK;
      out.push(
        ...rows("vercel-ai: generateText (ai 7)", variants, results, (i) =>
          i === 3
            ? { target: TARGET, note: `incl. serialisation + HTTP delivery + flush; Node ${process.versions.node}` }
            : {},
        ),
      );
    }

    // AI SDK 6 and 5: the OpenTelemetry-shaped tracer. The no-op tracer row is what the AI SDK itself
    // costs with telemetry enabled (attribute selection, prompt stringification, its span calls).
    const tracer = createPandaProbeTracer({ client });
    const disabledTracer = createPandaProbeTracer({ client: new PandaProbe({ enabled: false }) });
    const otelMajors = [
      { major: 6, dir: "ai-v6", mock: "MockLanguageModelV3", finishReason: { unified: "stop", raw: "stop" }, usage },
      {
        major: 5,
        dir: "ai-v5",
        mock: "MockLanguageModelV2",
        finishReason: "stop",
        usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
      },
    ];
    for (const m of otelMajors.filter((o) => MAJORS.includes(o.major))) {
      const aiN = await load(`${m.dir}/dist/index.mjs`);
      const mocks = await load(`${m.dir}/dist/test/index.mjs`);
      const modelN = new mocks[m.mock]({
        doGenerate: async () => ({
          content: [{ type: "text", text: "hi" }],
          finishReason: m.finishReason,
          usage: m.usage,
          warnings: [],
          response,
        }),
      });
      const telemetry = (t: unknown) => ({ isEnabled: true, tracer: t, metadata: { userId: "bench-user" } });
      const variants: Variant[] = [
        { label: "baseline", op: () => aiN.generateText({ model: modelN, prompt: "hello" }) },
        {
          label: "+ no-op tracer (AI SDK telemetry only)",
          op: () => aiN.generateText({ model: modelN, prompt: "hello", experimental_telemetry: telemetry(noopTracer) }),
        },
        {
          label: "+ createPandaProbeTracer, client disabled",
          op: () =>
            aiN.generateText({ model: modelN, prompt: "hello", experimental_telemetry: telemetry(disabledTracer) }),
        },
        {
          label: "+ createPandaProbeTracer",
          op: () => aiN.generateText({ model: modelN, prompt: "hello", experimental_telemetry: telemetry(tracer) }),
          after: flush,
        },
      ];
      const results = await interleave(variants);
      traced += 400 + BLOCKS * BLOCK;
      out.push(
        ...rows(`vercel-ai: generateText (ai ${m.major})`, variants, results, (i) =>
          i === 3
            ? { target: TARGET, note: `incl. serialisation + HTTP delivery + flush; Node ${process.versions.node}` }
            : {},
        ),
      );
    }

    await client.shutdown({ timeoutMs: 5000 });
    const { traces, schemaErrors } = await standIn.count();
    if (traces !== traced || schemaErrors !== 0) {
      throw new Error(`stand-in received ${traces}/${traced} traces, ${schemaErrors} schema errors`);
    }
  } finally {
    await standIn.close();
  }
  return out;
}

if (/vercel-ai\.ts$/.test(process.argv[1] ?? "")) {
  void run().then((rows) => {
    for (const row of rows) console.log(JSON.stringify(row));
  });
}
