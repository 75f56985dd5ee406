#!/usr/bin/env node
// Side-by-side overhead benchmark for LLM-observability SDKs.
//
//   node run.mjs [scenario ...] [--only a,b] [--adapter file.mjs] [--n 2000]
//                [--n-graph 500] [--rounds 7] [--sink-latency 20] [--out results/x.json]
//
// Scenarios: openai-chat, openai-stream, langgraph, import, isolation (default: all).
// Every scenario x variant runs in a fresh child process (lib/worker.mjs);
// this process hosts the fake OpenAI server and the sink.
// See README.md for what is measured and how to add a variant.
import { fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startFakeOpenAI } from "./lib/fake-openai.mjs";
import { startSink } from "./lib/sink.mjs";
import { summarize, round } from "./lib/stats.mjs";
import { latencyTable, flushTable, importTable, isolationTable } from "./lib/report.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ALL_SCENARIOS = ["openai-chat", "openai-stream", "langgraph", "import", "isolation"];
const CHILD_TIMEOUT_MS = 180_000;

function parseArgs(argv) {
  const opts = {
    scenarios: [],
    only: null,
    extraAdapters: [],
    n: 2000,
    nGraph: 500,
    rounds: 7,
    sinkLatencyMs: 20,
    out: null,
  };
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
    else if (a === "--help" || a === "-h") {
      console.log(
        fs
          .readFileSync(fileURLToPath(import.meta.url), "utf8")
          .split("\n")
          .slice(1, 10)
          .join("\n"),
      );
      process.exit(0);
    } else if (a === "all") opts.scenarios.push(...ALL_SCENARIOS);
    else if (ALL_SCENARIOS.includes(a)) opts.scenarios.push(a);
    else throw new Error(`unknown argument: ${a} (scenarios: ${ALL_SCENARIOS.join(", ")})`);
  }
  if (opts.scenarios.length === 0) opts.scenarios = [...ALL_SCENARIOS];
  return opts;
}

/** Per-scenario sizes. `block` = ops per half before switching bare/traced. */
function scenarioPlan(scenario, opts) {
  switch (scenario) {
    case "openai-chat":
    case "openai-stream":
      return { n: opts.n, block: 10, warmup: 1500 };
    case "langgraph":
      return { n: opts.nGraph, block: 5, warmup: 150 };
    case "isolation":
      return { n: 50, block: 0, warmup: 0 };
    default:
      return {};
  }
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
      execArgv: ["--expose-gc"],
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

/** Trace items are what an SDK exported (runs, spans, rows), not handshakes. */
const traceItemCount = (items) =>
  Object.entries(items)
    .filter(([k]) => /^(runs\.|spans|rows|events|otlp\.)/.test(k))
    .reduce((s, [, v]) => s + v, 0);

async function main() {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 22) {
    console.error(`Node ${process.versions.node}: openai@latest needs Node >= 22. Run: npx -y node@24 run.mjs`);
    process.exit(2);
  }
  const opts = parseArgs(process.argv.slice(2));
  const adapters = await loadAdapters(opts);
  const openai = await startFakeOpenAI();
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
      ["openai", "@langchain/core", "@langchain/langgraph", ...new Set(adapters.flatMap((a) => a.packages ?? []))].map(
        (p) => [p, packageVersion(p)],
      ),
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

    for (const adapter of adapters) {
      sink.reset();
      const config = { scenario, adapterPath: adapter.file, openaiUrl: openai.url, sinkUrl: sink.url, ...plan };
      const t0 = Date.now();
      const r = await runChild(adapter, config, sink.url, path.join(logDir, `${scenario}.${adapter.name}.log`));
      const received = sink.collect();
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

      if (scenario === "isolation") {
        const status = traceItems === 0 ? "ok" : "LEAK: un-traced calls were exported";
        results.push({ kind: "isolation", ...base, ...r, sink: received, traceItems, status });
        console.log(`[isolation] ${adapter.name}: ${status} (${received.requests} sink requests)`);
        continue;
      }

      let status = "ok";
      if (adapter.name !== "bare" && r.tracedIsBare) status = "no LangChain handler: traced == bare";
      else if (!["bare", "floor"].includes(adapter.name) && (received.bytes === 0 || traceItems === 0))
        status = "NO DATA at sink";
      if (received.unknownRoutes.length) status += ` (unknown routes: ${received.unknownRoutes.join(", ")})`;
      if (r.blockedConnections.length) status += ` (blocked: ${r.blockedConnections.join(", ")})`;
      if (r.logLines) status += ` (${r.logLines} log lines: results/logs/${scenario}.${adapter.name}.log)`;

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
        sinkPer1k: {
          requests: round(received.requests * perK, 1),
          kb: round((received.bytes / 1024) * perK, 1),
          decodedKb: round((received.decodedBytes / 1024) * perK, 1),
        },
        status,
      };
      results.push(row);
      console.log(
        `[${scenario}] ${adapter.name.padEnd(10)} median ${row.traced.median} µs (bare ${row.bare.median}, ${row.overheadUs >= 0 ? "+" : ""}${row.overheadUs}) ` +
          `p99 ${row.traced.p99} | cpu ${row.cpuMs} ms, ${row.cpuExtraUsPerOp >= 0 ? "+" : ""}${row.cpuExtraUsPerOp} µs/op | flush ${row.flushMs} ms | sink ${received.requests} req ${round(received.bytes / 1024)} KB, ${traceItems} items | ${row.wallS} s | ${status}`,
      );
    }
    console.log(`[${scenario}] done in ${((Date.now() - tScenario) / 1000).toFixed(1)} s\n`);
  }

  await openai.close();
  await sink.close();

  const out = { meta, results, totalS: round((Date.now() - started) / 1000, 1) };
  const latest = path.join(HERE, "results", "latest.json");
  fs.writeFileSync(latest, JSON.stringify(out, null, 2));
  if (opts.out) fs.writeFileSync(opts.out, JSON.stringify(out, null, 2));

  const sections = [];
  if (results.some((r) => r.kind === "paired")) {
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
