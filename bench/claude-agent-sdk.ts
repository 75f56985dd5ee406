/**
 * `@pandaprobe/claude-agent-sdk` cost beside the Claude Agent SDK alone (its own floor): the same query, bare and
 * wrapped, in the same run. The query is a real one: the SDK spawns its bundled Claude Code CLI, which talks to a
 * fake Messages API (a child process: its CPU is not counted) through a conversation with a tool call and a subagent
 * (the main agent's two turns, the subagent's turn and `Read`: about 15 messages).
 *
 * - Query rows: `PAIRS` pairs of one bare and one wrapped query, the order alternating (AB, BA, ...) so drift
 *   cancels. Wall: each query from `query()` to its last message. CPU: this process only (the SDK's side of the
 *   query: spawning, reading and parsing the CLI's messages; the CLI's own CPU is its process's), a wrapped query's
 *   including the flush that serialises and delivers its trace to a stand-in in a child process.
 * - Wrapper alone: one query's recorded messages replayed through a wrapped and a bare `query` function with no CLI
 *   (an async generator yielding them), many times: what the wrapper costs per query, recording, span building,
 *   serialisation and delivery included, stated as a ratio to the bare query above.
 *
 *   node_modules/.bin/tsx bench/claude-agent-sdk.ts   (after `pnpm build`; `pnpm bench claude` builds first)
 */
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { r2, spawnNode, startChildStandIn, stats, type BenchRow } from "./lib.js";

const PAIRS = Number(process.env.BENCH_CLAUDE_PAIRS ?? 10);
const REPLAYS = Number(process.env.BENCH_CLAUDE_REPLAYS ?? 2000);
const SCENARIO = "bench";

const loadBuilt = (path: string) => import(pathToFileURL(resolve(process.cwd(), path)).href);

/** The fake Messages API in a child process (this file with `--fake-anthropic <dir>`). */
async function startChildFakeAnthropic(dir: string): Promise<{ baseURL: string; close(): Promise<void> }> {
  const script = fileURLToPath(import.meta.url);
  const child = spawnNode(["--import", "tsx", script, "--fake-anthropic", dir], {
    stdio: ["pipe", "pipe", "inherit"],
    cwd: resolve(fileURLToPath(import.meta.url), "../.."),
  });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, "line")) as [string];
  return {
    baseURL: (JSON.parse(line) as { baseURL: string }).baseURL,
    close: async () => {
      child.stdin!.end();
      await once(child, "exit");
    },
  };
}

type Query = (params: { prompt: unknown; options?: Record<string, unknown> }) => AsyncGenerator<unknown, void>;

/** Runs `q` to its end; wall µs. */
async function drain(q: AsyncIterable<unknown>): Promise<number> {
  const t0 = performance.now();
  for await (const _ of q);
  return (performance.now() - t0) * 1000;
}

export default async function run(): Promise<BenchRow[]> {
  const core = (await loadBuilt("packages/core/dist/index.js")) as typeof import("../packages/core/src/index.js");
  const { wrapClaudeAgentQuery } = (await loadBuilt(
    "packages/claude-agent-sdk/dist/index.js",
  )) as typeof import("../packages/claude-agent-sdk/src/index.js");
  const sdk = await loadBuilt("packages/claude-agent-sdk/node_modules/@anthropic-ai/claude-agent-sdk/sdk.mjs");
  const { queryOptions } = await import("../packages/claude-agent-sdk/test/support/sdk.js");

  const dir = mkdtempSync(join(tmpdir(), "pp-claude-bench-"));
  mkdirSync(join(dir, "tmp"));
  writeFileSync(join(dir, "notes.txt"), "hello from the notes");
  const [standIn, fake] = await Promise.all([startChildStandIn(), startChildFakeAnthropic(dir)]);
  // No proxy is needed to keep the CLI offline (CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC); the tests check that.
  const options = queryOptions({ baseURL: fake.baseURL } as never, { url: "" } as never, dir);
  const env = options.env as Record<string, string>;
  delete env.HTTPS_PROXY;
  delete env.HTTP_PROXY;
  const params = () => ({ prompt: `[[${SCENARIO}]] Summarise the notes.`, options });

  const client = new core.PandaProbe({ ...standIn.options, flushIntervalMs: 3_600_000, tracesPerMinute: 0 });
  const bare = sdk.query as Query;
  const wrapped = wrapClaudeAgentQuery(bare, { client, userId: "bench" });
  let traces = 0;

  // Real queries, AB / BA.
  const wall = { bare: [] as number[], wrapped: [] as number[] };
  const cpu = { bare: 0, wrapped: 0 };
  const one = async (kind: "bare" | "wrapped") => {
    const c0 = process.cpuUsage();
    wall[kind].push(await drain((kind === "bare" ? bare : wrapped)(params())));
    if (kind === "wrapped") {
      await client.flush({ timeoutMs: 60_000 });
      traces++;
    }
    const c = process.cpuUsage(c0);
    cpu[kind] += c.user + c.system;
  };
  await one("bare"); // warm-up (module caches, first spawn)
  await one("wrapped");
  wall.bare.length = wall.wrapped.length = 0;
  cpu.bare = cpu.wrapped = 0;
  for (let i = 0; i < PAIRS; i++) {
    const order = i % 2 === 0 ? (["bare", "wrapped"] as const) : (["wrapped", "bare"] as const);
    for (const kind of order) await one(kind);
  }
  const b = stats(wall.bare);
  const w = stats(wall.wrapped);
  const bareCpu = cpu.bare / PAIRS;
  const addedCpu = (cpu.wrapped - cpu.bare) / PAIRS;

  // The wrapper alone: one query's messages replayed without the CLI.
  const recorded: unknown[] = [];
  for await (const m of bare(params())) recorded.push(m);
  const replay: Query = async function* () {
    for (const m of recorded) yield m;
  };
  const quiet = new core.PandaProbe({
    ...standIn.options,
    flushIntervalMs: 3_600_000,
    maxQueueSize: 100_000,
    tracesPerMinute: 0,
  });
  const replayWrapped = wrapClaudeAgentQuery(replay, { client: quiet, userId: "bench" });
  for (let i = 0; i < 200; i++) await drain(replayWrapped(params()));
  await quiet.flush({ timeoutMs: 60_000 });
  const measureReplays = async (q: Query) => {
    const samples: number[] = [];
    const c0 = process.cpuUsage();
    for (let i = 0; i < REPLAYS; i++) {
      samples.push(await drain(q(params())));
      if (q === replayWrapped && i % 50 === 49) await quiet.flush({ timeoutMs: 60_000 });
    }
    await quiet.flush({ timeoutMs: 60_000 });
    const c = process.cpuUsage(c0);
    return { ...stats(samples), cpu: (c.user + c.system) / REPLAYS };
  };
  const replayBare = await measureReplays(replay);
  const replayTraced = await measureReplays(replayWrapped);
  const aloneCpu = replayTraced.cpu - replayBare.cpu;
  traces += 200 + REPLAYS;

  await Promise.all([client.shutdown({ timeoutMs: 60_000 }), quiet.shutdown({ timeoutMs: 60_000 })]);
  const got = await standIn.count();
  await Promise.all([standIn.close(), fake.close()]);
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  if (got.traces !== traces || got.schemaErrors > 0)
    throw new Error(`stand-in received ${got.traces} of ${traces} traces (${got.schemaErrors} schema errors)`);

  const pct = (x: number, of: number) => `${r2((100 * x) / of)}%`;
  return [
    {
      name: "claude-agent-sdk: query, SDK alone (CLI, tool + subagent)",
      medianUs: r2(b.median),
      p95Us: r2(b.p95),
      cpuUs: r2(bareCpu),
      note: `${recorded.length} messages; CPU is this process's (the CLI's is its own); ${PAIRS} queries`,
    },
    {
      name: "claude-agent-sdk: query, wrapped − SDK alone",
      medianUs: r2(w.median - b.median),
      p95Us: r2(w.p95 - b.p95),
      cpuUs: r2(addedCpu),
      note: `added CPU = ${pct(addedCpu, bareCpu)} of the SDK's own in-process CPU (noisy: one query is one sample)`,
    },
    {
      name: "claude-agent-sdk: wrapper alone (messages replayed, no CLI)",
      medianUs: r2(replayTraced.median - replayBare.median),
      p95Us: r2(replayTraced.p95 - replayBare.p95),
      cpuUs: r2(aloneCpu),
      note: `per query, delivery included: ${pct(aloneCpu, bareCpu)} of the SDK's in-process CPU, ${pct(aloneCpu, b.median)} of its wall time`,
    },
  ];
}

if (process.argv.includes("--fake-anthropic")) {
  const dir = process.argv[process.argv.indexOf("--fake-anthropic") + 1];
  const { startFakeAnthropic } = await import("../packages/claude-agent-sdk/test/support/fake-anthropic.js");
  const { subagentScenario } = await import("../packages/claude-agent-sdk/test/support/scenarios.js");
  const server = await startFakeAnthropic();
  server.script(SCENARIO, subagentScenario(SCENARIO, dir));
  process.stdout.write(`${JSON.stringify({ baseURL: server.baseURL })}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => void server.close().then(() => process.exit(0)));
} else if (/claude-agent-sdk\.ts$/.test(process.argv[1] ?? "")) {
  void run().then((rows) => {
    for (const row of rows) console.log(JSON.stringify(row));
  });
}
