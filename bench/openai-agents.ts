/**
 * `@pandaprobe/openai-agents` overhead: one agent run with a tool call (two model calls, one tool: 5 SDK spans on
 * 0.3–0.13, 7 with task and turn spans on 0.14+), measured beside the same run with no trace processor (the
 * framework's own floor: its tracing on, nothing registered), in the same process, interleaved.
 *
 * - Variants: the SDK's tracing off; tracing on with no processor (**the floor**); a no-op processor (the SDK's own
 *   dispatch to one processor); `createPandaProbeProcessor` with a disabled client; `createPandaProbeProcessor`
 *   delivering over HTTP (default sender) to the stand-in in a child process, `flush()` at the end of each block,
 *   so serialisation and delivery are in its CPU.
 * - The model answers in memory (the OpenAI client of the SDK gets a `fetch` that answers the fake Responses API's
 *   JSON at once): no socket, so the rows are the SDK's cost and ours, not a round trip.
 * - Wall: every run timed on its own; the row is the median (and p95). CPU: process CPU per run over blocks of 25
 *   runs per variant, the order alternating (ABCDE, EDCBA, ...) so drift cancels.
 * - Our added cost is stated against the floor: (PandaProbe − floor) / floor.
 *
 * On Node >= 22 it runs `@openai/agents` 0.20 (openai 7); on Node 20 0.14.3 (the newest that runs there).
 *   node_modules/.bin/tsx bench/openai-agents.ts        (after `pnpm build`; `pnpm bench openai-agents` builds first)
 */
import { realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { r2, startChildStandIn, stats, type BenchRow } from "./lib.js";

const PKG = resolve(process.cwd(), "packages/openai-agents");
const loadBuilt = (path: string) => import(pathToFileURL(resolve(process.cwd(), path)).href);
const BLOCKS = Number(process.env.BENCH_AGENTS_BLOCKS ?? 200);
const BLOCK = 25;

interface Variant {
  label: string;
  /** Installs the variant's processors (and tracing switch) before each of its blocks. */
  setup: () => void;
  /** Runs after each block, inside its CPU measurement (delivery). */
  after?: () => Promise<unknown>;
}

export default async function run(): Promise<BenchRow[]> {
  const modern = Number(process.versions.node.split(".")[0]) >= 22;
  const sdkName = modern ? "@openai/agents" : "agents-v0-14";
  const sdkDir = join(PKG, "node_modules", sdkName);
  const requireFromSdk = createRequire(join(sdkDir, "package.json"));
  const agents = await import(pathToFileURL(join(sdkDir, "dist/index.mjs")).href);
  const version = requireFromSdk(join(sdkDir, "package.json")).version as string;
  const OpenAI = (await import(pathToFileURL(join(realpathSync(sdkDir), "../../openai/index.mjs")).href)).default;
  const { z } = await import(pathToFileURL(createRequire(join(PKG, "package.json")).resolve("zod")).href);
  const { respond } = await import("../packages/openai-agents/test/support/fake-responses-server.js");
  const core = (await loadBuilt("packages/core/dist/index.js")) as typeof import("../packages/core/src/index.js");
  const { createPandaProbeProcessor } = (await loadBuilt(
    "packages/openai-agents/dist/index.js",
  )) as typeof import("../packages/openai-agents/src/index.js");

  const fetch = async (_url: unknown, init?: { body?: unknown }) => {
    const { status, payload } = respond(JSON.parse(String(init?.body ?? "{}")));
    return new Response(JSON.stringify(payload), {
      status,
      headers: { "content-type": "application/json", "x-request-id": "req_1" },
    });
  };
  const client = new OpenAI({ apiKey: "sk-fake", baseURL: "http://127.0.0.1:9/v1", maxRetries: 0, fetch });
  agents.setDefaultModelProvider(new agents.OpenAIProvider({ openAIClient: client }));
  const tool = agents.tool({
    name: "get_weather",
    description: "Current weather for a city",
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }: { city: string }) => ({ city, sky: "sunny" }),
  });
  const agent = new agents.Agent({ name: "Weather", instructions: "weather", model: "fake-tool", tools: [tool] });
  const op = () => agents.run(agent, "Weather in Paris?");

  const standIn = await startChildStandIn();
  const pp = new core.PandaProbe({
    ...standIn.options,
    tracesPerMinute: 0,
    maxQueueSize: 1_000_000,
    flushIntervalMs: 3_600_000,
  });
  const processor = createPandaProbeProcessor({ client: pp, userId: "bench-user" });
  const disabled = createPandaProbeProcessor({ client: new core.PandaProbe({ enabled: false }) });
  const noop = {
    onTraceStart: async (_t: unknown) => {},
    onTraceEnd: async (_t: unknown) => {},
    onSpanStart: async (_s: unknown) => {},
    onSpanEnd: async (_s: unknown) => {},
    shutdown: async () => {},
    forceFlush: async () => {},
  };
  // One registered processor that forwards to the variant's: switching variants never makes the SDK shut a
  // processor down (`setTraceProcessors` does), which would flush in the background of the next block.
  type Hooks = typeof noop;
  let current: Hooks | undefined;
  const slot: Hooks = {
    onTraceStart: (t: unknown) => current!.onTraceStart(t as never),
    onTraceEnd: (t: unknown) => current!.onTraceEnd(t as never),
    onSpanStart: (s: unknown) => current!.onSpanStart(s as never),
    onSpanEnd: (s: unknown) => current!.onSpanEnd(s as never),
    shutdown: async () => {},
    forceFlush: async () => {},
  };
  const use = (disabledTracing: boolean, processor: Hooks | undefined) => () => {
    agents.setTracingDisabled(disabledTracing);
    if ((current === undefined) !== (processor === undefined)) agents.setTraceProcessors(processor ? [slot] : []);
    current = processor;
  };
  agents.setTraceProcessors([]); // not the SDK's default OpenAI exporter
  let traced = 0;
  const variants: Variant[] = [
    { label: "SDK tracing off", setup: use(true, undefined) },
    { label: "tracing on, no processor (the floor)", setup: use(false, undefined) },
    { label: "+ no-op processor (the SDK's dispatch)", setup: use(false, noop) },
    { label: "+ PandaProbe processor, client disabled", setup: use(false, disabled as unknown as Hooks) },
    {
      label: "+ PandaProbe processor (delivering)",
      setup: use(false, processor as unknown as Hooks),
      after: async () => {
        traced += BLOCK;
        await pp.flush({ timeoutMs: 30_000 });
      },
    },
  ];

  // Warm-up, every variant.
  for (const v of variants) {
    v.setup();
    for (let i = 0; i < 200; i++) await op();
    await v.after?.();
  }
  traced = 0;
  await pp.flush({ timeoutMs: 30_000 });
  const before = await standIn.count();
  const wall: number[][] = variants.map(() => []);
  const cpu = variants.map(() => 0);
  for (let b = 0; b < BLOCKS; b++) {
    const order = b % 2 === 0 ? variants.map((_, i) => i) : variants.map((_, i) => variants.length - 1 - i);
    for (const i of order) {
      const v = variants[i];
      v.setup();
      const c0 = process.cpuUsage();
      for (let k = 0; k < BLOCK; k++) {
        const t0 = performance.now();
        await op();
        wall[i].push((performance.now() - t0) * 1000);
      }
      await v.after?.();
      await new Promise<void>((r) => setImmediate(r));
      const c = process.cpuUsage(c0);
      cpu[i] += c.user + c.system;
    }
  }
  agents.setTraceProcessors([]);
  await pp.shutdown({ timeoutMs: 30_000 });
  const got = await standIn.count();
  await standIn.close();
  if (got.traces - before.traces !== traced || got.schemaErrors > 0) {
    throw new Error(
      `stand-in received ${got.traces - before.traces} of ${traced} traces (${got.schemaErrors} schema errors)`,
    );
  }

  const runs = BLOCKS * BLOCK;
  const s = wall.map((w) => stats(w));
  const c = cpu.map((x) => x / runs);
  const floor = { median: s[1].median, cpu: c[1] };
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return variants.map((v, i) => {
    const row: BenchRow = {
      name: `openai-agents ${version}: run with a tool call, ${v.label}`,
      medianUs: r2(s[i].median),
      p95Us: r2(s[i].p95),
      cpuUs: r2(c[i]),
    };
    if (i > 1) {
      const addedWall = s[i].median - floor.median;
      const addedCpu = c[i] - floor.cpu;
      row.note =
        `vs the floor: +${r2(addedWall)} µs median (${pct(addedWall / floor.median)}), ` +
        `+${r2(addedCpu)} µs CPU per run (${pct(addedCpu / floor.cpu)})` +
        (i === variants.length - 1
          ? `; incl. serialisation + HTTP delivery; ${runs} runs; Node ${process.versions.node}`
          : "");
    }
    return row;
  });
}

if (/openai-agents\.ts$/.test(process.argv[1] ?? "")) {
  void run().then((rows) => {
    for (const row of rows) console.log(JSON.stringify(row));
  });
}
