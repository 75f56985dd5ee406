#!/usr/bin/env node
// Side-by-side overhead benchmark for LLM-observability SDKs.
//
//   node run.mjs [scenario ...] [--only a,b] [--adapter file.mjs] [--n 2000]
//                [--n-graph 500] [--rounds 7] [--sink-latency 20] [--smoke] [--out results/x.json]
//   env: BENCH_SCENARIOS=a,b  BENCH_ONLY=a,b  BENCH_SMOKE=1 (the same as the arguments)
//
// Scenarios: openai-chat, openai-stream, anthropic-messages, anthropic-stream, gemini, mistral, bedrock, langgraph,
// langchain-chain, openai-agents, import, isolation (default: all). Each variant runs the scenarios its adapter
// declares. Every scenario x variant runs in a fresh child process (lib/worker.mjs); this process hosts the fake
// providers and the sink. See README.md for what is measured and how to add a variant.
import { fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startFakeProviders } from "./lib/fake-providers.mjs";
import { planOf, supports, TRACED_SCENARIOS } from "./lib/scenarios/index.mjs";
import { startSink } from "./lib/sink.mjs";
import { summarize, round } from "./lib/stats.mjs";
import { flushTable, importTable, isolationTable, latencyTable, summaryTable } from "./lib/report.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ALL_SCENARIOS = [...TRACED_SCENARIOS, "import", "isolation"];
const CHILD_TIMEOUT_MS = 180_000;
/** The application's libraries, whose versions go into the results' meta. */
const APP_PACKAGES = [
  "openai",
  "@anthropic-ai/sdk",
  "@google/genai",
  "@mistralai/mistralai",
  "@aws-sdk/client-bedrock-runtime",
  "@openai/agents",
  "@langchain/core",
  "@langchain/langgraph",
];

function parseArgs(args) {
  // BENCH_SCENARIOS: scenarios as if given first on the command line.
  const argv = [...(process.env.BENCH_SCENARIOS?.split(",").filter(Boolean) ?? []), ...args];
  const opts = {
    scenarios: [],
    only: null,
    extraAdapters: [],
    n: 2000,
    nGraph: 500,
    rounds: 7,
    sinkLatencyMs: 20,
    smoke: process.env.BENCH_SMOKE === "1",
    warmup: null,
    out: null,
  };
  if (process.env.BENCH_ONLY) opts.only = process.env.BENCH_ONLY.split(",");
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === "--only") opts.only = next().split(",");
    else if (a === "--adapter") opts.extraAdapters.push(path.resolve(next()));
    else if (a === "--n") opts.n = Number(next());
    else if (a === "--n-graph") opts.nGraph = Number(next());
    else if (a === "--rounds") opts.rounds = Number(next());
    else if (a === "--sink-latency") opts.sinkLatencyMs = Number(next());
    else if (a === "--out") opts.out = path.resolve(next());
    else if (a === "--smoke") opts.smoke = true;
    else if (a === "--help" || a === "-h") {
      console.log(
        fs
          .readFileSync(fileURLToPath(import.meta.url), "utf8")
          .split("\n")
          .slice(1, 11)
          .join("\n"),
      );
      process.exit(0);
    } else if (a === "all") opts.scenarios.push(...ALL_SCENARIOS);
    else if (ALL_SCENARIOS.includes(a)) opts.scenarios.push(a);
    else throw new Error(`unknown argument: ${a} (scenarios: ${ALL_SCENARIOS.join(", ")})`);
  }
  if (opts.scenarios.length === 0) opts.scenarios = [...ALL_SCENARIOS];
  // Smoke: a few calls per half, to check that every scenario x variant runs and delivers, not to measure anything.
  if (opts.smoke) Object.assign(opts, { n: 8, nGraph: 8, rounds: 1, warmup: 2 });
  return opts;
}

/** Per-scenario sizes. `block` = ops per half before switching bare/traced. */
function scenarioPlan(scenario, opts) {
  if (scenario === "isolation") return { n: opts.smoke ? 2 : 50, block: 0, warmup: 0 };
  const plan = planOf(scenario, opts);
  return opts.warmup === null ? plan : { ...plan, block: Math.min(plan.block, 2), warmup: opts.warmup };
}

async function loadAdapters(opts) {
  const dir = path.join(HERE, "adapters");
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".mjs"))
    .map((f) => path.join(dir, f));
  const adapters = [];
  for (const file of [...files, ...opts.extraAdapters]) {
    const adapter = (await import(file)).default;
    adapters.push({ ...adapter, file });
  }
  for (const name of opts.only ?? [])
    if (!adapters.some((a) => a.name === name)) console.warn(`--only: no adapter named "${name}"`);
  // "bare" (the A/A noise-floor reference) always runs, first; the rest by name.
  adapters.sort((a, b) => (a.name === "bare" ? -1 : b.name === "bare" ? 1 : a.name.localeCompare(b.name)));
  return adapters.filter((a) => a.name === "bare" || !opts.only || opts.only.includes(a.name));
}

/** Version of an npm package in bench/node_modules, or of a package directory given by absolute path. */
function packageVersion(name) {
  try {
    const dir = path.isAbsolute(name) ? name : path.join(HERE, "node_modules", name);
    return JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version;
  } catch {
    return "not installed";
  }
}

/** Environment for a child: ours, minus any real SDK configuration, plus the adapter's. */
function childEnv(adapter, config, sinkUrl) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(LANGSMITH_|LANGCHAIN_|LANGFUSE_|BRAINTRUST_|OTEL_|OPENAI_)/.test(k)) continue;
    env[k] = v;
  }
  return {
    ...env,
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
    ...adapter.env(sinkUrl),
    BENCH_CONFIG: JSON.stringify(config),
  };
}

function runChild(adapter, config, sinkUrl, logFile) {
  return new Promise((resolve) => {
    const child = fork(path.join(HERE, "lib", "worker.mjs"), [], {
      cwd: HERE,
      env: childEnv(adapter, config, sinkUrl),
      // BENCH_PROF=<dir>: a V8 CPU profile of each worker, to see where a variant's CPU goes.
      execArgv: [
        "--expose-gc",
        ...(process.env.BENCH_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []),
      ],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const log = [];
    child.stdout.on("data", (d) => log.push(d));
    child.stderr.on("data", (d) => log.push(d));
    let message = null;
    child.on("message", (m) => (message = m));
    const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_TIMEOUT_MS);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      const text = Buffer.concat(log).toString("utf8");
      if (logFile) fs.rmSync(logFile, { force: true });
      if (logFile && text.trim()) fs.writeFileSync(logFile, text);
      if (message?.ok) resolve({ ...message.result, logLines: text.trim() ? text.trim().split("\n").length : 0 });
      else
        resolve({
          error: message?.error ?? `child exited with code ${code} signal ${signal}\n${text.slice(-2000)}`,
          blockedConnections: message?.blockedConnections ?? [],
        });
    });
  });
}

/** Variants that export nothing by design. */
const REFERENCE_VARIANTS = ["bare", "floor"];

/**
 * Whether a variant delivered what it traced: one trace per traced operation (each scenario's traced op is one
 * call / invoke / agent run, so one trace), each with at least one span. The reference variants must deliver
 * nothing. A variant that loses traces would otherwise look cheap: its row is flagged, and it does not count as
 * the best peer.
 */
function deliveryCheck(adapter, r, received) {
  if (REFERENCE_VARIANTS.includes(adapter.name))
    return received.traces === 0 ? "ok" : `UNEXPECTED DATA: ${received.traces} traces`;
  const expected = r.tracedOps;
  if (received.bytes === 0 || received.traces === 0) return `NO DATA at sink (expected ${expected} traces)`;
  if (received.unkeptBodies) return `ok? ${received.unkeptBodies} bodies too large to count`;
  if (received.traces < expected) return `LOST: ${received.traces}/${expected} traces at sink`;
  if (received.traces > expected) return `EXTRA: ${received.traces}/${expected} traces at sink`;
  if (received.spans < received.traces) return `SPANS MISSING: ${received.spans} spans, ${received.traces} traces`;
  return "ok";
}

/** Trace items are what an SDK exported (runs, spans, rows), not handshakes. */
const traceItemCount = (items) =>
  Object.entries(items)
    .filter(([k]) => /^(runs\.|spans|rows|events|otlp\.)/.test(k))
    .reduce((s, [, v]) => s + v, 0);

/** The project's own variant; every other non-reference variant is a peer. */
const OURS = "pandaprobe";

/**
 * Adds to each paired row its ratio relative to the scenario's floor row and to its best peer (the peer with the
 * lowest traced/bare ratio among those that delivered every trace). Ratios of ratios, because each row's traced
 * and bare halves share one process: the absolute medians of different processes drift apart on a shared VM.
 */
function compareToReferences(results) {
  const paired = results.filter((r) => r.kind === "paired" && !r.error);
  for (const scenario of new Set(paired.map((r) => r.scenario))) {
    const rows = paired.filter((r) => r.scenario === scenario);
    const floor = rows.find((r) => r.variant === "floor");
    const peers = rows.filter((r) => ![...REFERENCE_VARIANTS, OURS].includes(r.variant) && r.status === "ok");
    const best = peers.reduce((a, b) => (a && a.ratio <= b.ratio ? a : b), null);
    for (const r of rows) {
      r.vsFloor = floor ? round(r.ratio / floor.ratio, 3) : null;
      r.bestPeer = best?.variant ?? null;
      r.vsBestPeer = best ? round(r.ratio / best.ratio, 3) : null;
    }
  }
}

async function main() {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 22) {
    console.error(`Node ${process.versions.node}: openai@latest needs Node >= 22. Run: npx -y node@24 run.mjs`);
    process.exit(2);
  }
  const opts = parseArgs(process.argv.slice(2));
  const adapters = await loadAdapters(opts);
  const fakes = await startFakeProviders();
  const sink = await startSink({ latencyMs: opts.sinkLatencyMs });
  const logDir = path.join(HERE, "results", "logs");
  fs.mkdirSync(logDir, { recursive: true });

  const meta = {
    date: new Date().toISOString(),
    node: process.versions.node,
    platform: `${os.platform()} ${os.arch()}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"})`,
    options: { ...opts, extraAdapters: opts.extraAdapters },
    langsmithInfoProfile: process.env.BENCH_LANGSMITH_INFO ?? "cloud",
    versions: Object.fromEntries(
      [...APP_PACKAGES, ...new Set(adapters.flatMap((a) => a.packages ?? []))].map((p) => [p, packageVersion(p)]),
    ),
    variants: Object.fromEntries(adapters.map((a) => [a.name, a.description ?? ""])),
  };
  console.log(`node ${meta.node} | ${meta.platform}`);
  console.log(`variants: ${adapters.map((a) => a.name).join(", ")} | scenarios: ${opts.scenarios.join(", ")}\n`);

  const results = [];
  const started = Date.now();

  for (const scenario of opts.scenarios) {
    const plan = scenarioPlan(scenario, opts);
    const tScenario = Date.now();

    if (scenario === "import") {
      // Fresh process per sample; round-robin over variants so drift is shared.
      const samples = Object.fromEntries(adapters.map((a) => [a.name, []]));
      const errors = {};
      for (let round = 0; round <= opts.rounds; round++) {
        for (const adapter of adapters) {
          const config = { scenario, adapterPath: adapter.file };
          const r = await runChild(adapter, config, sink.url, null);
          if (r.error) errors[adapter.name] = r.error;
          else if (round > 0) samples[adapter.name].push(r); // round 0 warms the file cache
        }
      }
      for (const adapter of adapters) {
        const s = samples[adapter.name];
        results.push(
          errors[adapter.name]
            ? { kind: "import", scenario, variant: adapter.name, error: errors[adapter.name] }
            : {
                kind: "import",
                scenario,
                variant: adapter.name,
                sdkMs: summarize(s.map((x) => x.sdkMs)),
                totalMs: summarize(s.map((x) => x.totalMs)),
                rssMB: summarize(s.map((x) => x.rssMB)),
              },
        );
      }
      const bareImport = results.find((r) => r.kind === "import" && r.variant === "bare" && !r.error);
      for (const r of results.filter((x) => x.kind === "import" && !x.error && bareImport)) {
        r.addedToAppMs = round(r.totalMs.median - bareImport.totalMs.median);
        r.addedRssMB = round(r.rssMB.median - bareImport.rssMB.median);
      }
      console.log(
        `[import] ${adapters.length} variants x ${opts.rounds} fresh processes in ${((Date.now() - tScenario) / 1000).toFixed(1)} s`,
      );
      continue;
    }

    // Isolation runs every variant (on the scenarios it supports); the others the variants that declare them.
    for (const adapter of adapters.filter((a) => scenario === "isolation" || supports(a, scenario))) {
      sink.reset();
      const config = { scenario, adapterPath: adapter.file, urls: fakes.urls, sinkUrl: sink.url, ...plan };
      const t0 = Date.now();
      const unanswered0 = fakes.unexpected();
      const r = await runChild(adapter, config, sink.url, path.join(logDir, `${scenario}.${adapter.name}.log`));
      const received = sink.collect();
      const unanswered = fakes.unexpected() - unanswered0;
      const base = { scenario, variant: adapter.name, wallS: round((Date.now() - t0) / 1000, 1) };

      if (r.error) {
        results.push({
          kind: scenario === "isolation" ? "isolation" : "paired",
          ...base,
          error: r.error,
          sink: received,
        });
        console.log(`[${scenario}] ${adapter.name}: ERROR\n${r.error.split("\n").slice(0, 6).join("\n")}`);
        continue;
      }
      const traceItems = traceItemCount(received.items);

      // What went wrong besides the verdict: unknown sink routes, blocked connections, unanswered provider calls, logs.
      let notes = "";
      if (received.unknownRoutes.length) notes += ` (unknown routes: ${received.unknownRoutes.join(", ")})`;
      if (r.blockedConnections.length) notes += ` (blocked: ${r.blockedConnections.join(", ")})`;
      if (unanswered) notes += ` (${unanswered} provider requests without a fake route)`;
      if (r.logLines) notes += ` (${r.logLines} log lines: results/logs/${scenario}.${adapter.name}.log)`;

      if (scenario === "isolation") {
        const status = (traceItems === 0 ? "ok" : "LEAK: un-traced calls were exported") + notes;
        results.push({ kind: "isolation", ...base, ...r, sink: received, traceItems, status });
        console.log(
          `[isolation] ${adapter.name}: ${status} (${received.requests} sink requests; ${r.scenarios.join(", ")})`,
        );
        continue;
      }

      let status = deliveryCheck(adapter, r, received);
      if (adapter.name !== "bare" && r.tracedIsBare) status = "no handler: traced == bare";
      status += notes;

      const perK = 1000 / r.tracedOps;
      const row = {
        kind: "paired",
        ...base,
        ...r,
        overheadUs: round(r.traced.median - r.bare.median),
        ratio: round(r.traced.median / r.bare.median, 3),
        p99OverheadUs: round(r.traced.p99 - r.bare.p99),
        sink: received,
        traceItems,
        itemsPerOp: round(traceItems / r.tracedOps, 2),
        spansPerTrace: received.traces ? round(received.spans / received.traces, 2) : 0,
        sinkPer1k: {
          requests: round(received.requests * perK, 1),
          kb: round((received.bytes / 1024) * perK, 1),
          decodedKb: round((received.decodedBytes / 1024) * perK, 1),
        },
        status,
      };
      results.push(row);
      console.log(
        `[${scenario}] ${adapter.name.padEnd(13)} median ${row.traced.median} µs (bare ${row.bare.median}, ${row.overheadUs >= 0 ? "+" : ""}${row.overheadUs}) ` +
          `p99 ${row.traced.p99} | cpu ${row.cpuMs} ms, ${row.cpuExtraUsPerOp >= 0 ? "+" : ""}${row.cpuExtraUsPerOp} µs/op | flush ${row.flushMs} ms | sink ${received.requests} req ${round(received.bytes / 1024)} KB, ${received.traces} traces ${received.spans} spans | ${row.wallS} s | ${status}`,
      );
    }
    console.log(`[${scenario}] done in ${((Date.now() - tScenario) / 1000).toFixed(1)} s\n`);
  }

  await fakes.close();
  await sink.close();

  compareToReferences(results);
  const out = { meta, results, totalS: round((Date.now() - started) / 1000, 1) };
  const latest = path.join(HERE, "results", "latest.json");
  fs.writeFileSync(latest, JSON.stringify(out, null, 2));
  if (opts.out) fs.writeFileSync(opts.out, JSON.stringify(out, null, 2));

  const sections = [];
  if (opts.smoke)
    sections.push("SMOKE RUN: a few calls per half, to check that every variant runs and delivers. NOT a measurement.");
  if (results.some((r) => r.kind === "paired")) {
    sections.push(
      `Per scenario: this project vs the framework floor and the best peer (ratio = traced/bare median, same process)\n${summaryTable(results)}`,
    );
    sections.push(`Per-operation latency (traced vs bare in the same process, ABBA blocks)\n${latencyTable(results)}`);
    sections.push(`Flush and export (sink = local stand-in for each vendor's cloud)\n${flushTable(results)}`);
  }
  if (results.some((r) => r.kind === "import"))
    sections.push(`Cold import, fresh process, ${opts.rounds} runs\n${importTable(results)}`);
  if (results.some((r) => r.kind === "isolation"))
    sections.push(`Isolation (un-traced calls with the SDK loaded must export nothing)\n${isolationTable(results)}`);
  console.log(`\n${sections.join("\n\n")}`);
  console.log(
    `\nwrote ${path.relative(process.cwd(), latest)}${opts.out ? ` and ${path.relative(process.cwd(), opts.out)}` : ""} (${out.totalS} s)`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
