/**
 * The runtime matrix: the same small traced program (matrix/program.mjs: set up from the environment, user()/session(),
 * a trace with nested spans across awaits, the same by explicit nesting, a score, flush(), and one last trace left to
 * the runtime's own end) on every runtime users deploy to, all from the npm registry, each cell's payloads checked
 * in the stand-in. Cells where the runtime cannot carry context across `await` must say so at init() and degrade
 * exactly as documented. The results table in the root README is this run's (UPDATE_RUNTIME_MATRIX=1 rewrites it).
 *
 * Runtimes are fetched once by npx (its cache is reused by every later run) and their binaries run directly.
 */
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import { AsyncLocalStorage } from "node:async_hooks";
import { fileURLToPath } from "node:url";
import { EdgeRuntime } from "edge-runtime";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TraceResponse } from "@pandaprobe/testing";
import { startStandIn, type StandIn } from "../helpers.js";

const matrixDir = fileURLToPath(new URL("./matrix/", import.meta.url));
const readme = fileURLToPath(new URL("../../../../README.md", import.meta.url));
const biome = fileURLToPath(new URL("../../../../node_modules/.bin/biome", import.meta.url));
const BEGIN = "<!-- runtime-matrix:begin -->";
const END = "<!-- runtime-matrix:end -->";

const NODE = ["20.16.0", "22.23.3", "24.21.0"];
const BUN = "1.4.4";
const DENO = "2.9.6";
const WORKERD_DATE = "2025-09-01";

/** What a cell's program printed (or answered). */
interface ProgramResult {
  contextual: string;
  explicit: string;
  flushed: { ok: boolean; pending: number; failed: number; dropped: number };
  warnings: string[];
}

const ENV_DENIED = "environment not readable";
const NO_ALS = "no AsyncLocalStorage: what works, what does not, the fix";
const LOST_SPAN = 'span "outer" named as lost to an `await`';
const DEGRADED_SAYS = [NO_ALS, LOST_SPAN];

/** One row of the results table. */
type Row = [
  runtime: string,
  context: string,
  explicit: string,
  score: string,
  flush: string,
  last: string,
  says: string,
];

interface Cell {
  runtime: string;
  /** Whether context follows `await` here (else scopes are synchronous, and init() says so). */
  asyncContext: boolean;
  /** How the last trace, left without flush(), is delivered. */
  last: string;
  /** What the cell must say (warnings, by their short names: see `said`), and nothing else. */
  says?: string[];
  /** Runs the program; resolves once the last trace has had its chance (process ended, waitUntil settled). */
  run(standIn: StandIn): Promise<ProgramResult>;
}

let standIn: StandIn;
const rows: Row[] = [];
beforeAll(async () => {
  standIn = await startStandIn();
});
afterAll(async () => {
  await standIn?.close();
});

/** The path of a runtime's binary from the npm registry (fetched by npx once; later runs use npx's cache). */
function binary(pkg: string, printExecPath: string[]): string {
  return execFileSync("npx", ["-y", pkg, ...printExecPath], { encoding: "utf8" })
    .trim()
    .split("\n")
    .pop()!;
}

const standInEnv = (s: StandIn) => ({
  PANDAPROBE_API_KEY: s.apiKey,
  PANDAPROBE_PROJECT_NAME: s.projectName,
  PANDAPROBE_ENDPOINT: s.url,
});

/** Runs matrix/main.mjs with a runtime's binary; the process must end by itself, and say nothing on stderr. */
async function runMain(bin: string, args: string[], env: Record<string, string>): Promise<ProgramResult> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PANDAPROBE_")));
  const child = spawn(bin, args, { cwd: matrixDir, env: { ...base, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const [code] = (await once(child, "exit")) as [number | null];
  expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

/** Bundles a matrix entry as a user's bundler would for the platform (wrangler and Vercel use esbuild too). */
async function bundle(contents: string, format: "esm" | "iife"): Promise<string> {
  const out = await build({
    stdin: { contents, resolveDir: matrixDir, sourcefile: "entry.mjs" },
    bundle: true,
    format,
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["workerd", "worker", "edge-light", "browser"],
    external: ["node:*"],
    write: false,
    logLevel: "silent",
  });
  return out.outputFiles[0]!.text;
}

/** workerd (Miniflare from the npm registry) with `flags`; `als`: the Worker passes AsyncLocalStorage in. */
function workerdCell(flags: string[], als: boolean, runtime: string, asyncContext: boolean): Cell {
  return {
    runtime,
    asyncContext,
    last: "✅ `ctx.waitUntil` (`wrapWorker`)",
    says: asyncContext ? [] : DEGRADED_SAYS,
    async run(s) {
      const entry = als
        ? `import { AsyncLocalStorage } from "node:async_hooks"; import { worker } from "./worker.mjs"; export default worker({ asyncLocalStorage: AsyncLocalStorage });`
        : `import { worker } from "./worker.mjs"; export default worker();`;
      const mf = new Miniflare({
        modules: [{ type: "ESModule", path: "worker.mjs", contents: await bundle(entry, "esm") }],
        compatibilityDate: WORKERD_DATE,
        compatibilityFlags: flags,
        bindings: standInEnv(s),
      });
      try {
        const result = (await (await mf.dispatchFetch("http://matrix.test/program")).json()) as ProgramResult;
        expect(await (await mf.dispatchFetch("http://matrix.test/last")).text()).toBe("ok");
        // The response is out; only ctx.waitUntil keeps the request alive (workerd drops its timers otherwise).
        await s.waitForTraces(1, { filter: (t) => t.name === "last" });
        return result;
      } finally {
        await mf.dispose();
      }
    },
  };
}

/** Vercel's Edge runtime emulation (`edge-runtime`), with `process.env` as Vercel provides it; `als`: a global one. */
function edgeCell(als: boolean, runtime: string): Cell {
  return {
    runtime,
    asyncContext: als,
    last: "✅ `event.waitUntil` (`withWaitUntil`)",
    says: als ? [] : DEGRADED_SAYS,
    async run(s) {
      const edge = new EdgeRuntime({
        initialCode: await bundle(readFileSync(`${matrixDir}/edge.mjs`, "utf8"), "iife"),
        extend: (context) =>
          Object.assign(context, { process: { env: standInEnv(s) } }, als ? { AsyncLocalStorage } : {}),
      });
      const response = await edge.dispatchFetch("http://matrix.test/program");
      const result = JSON.parse(await response.text()) as ProgramResult;
      await response.waitUntil();
      const last = await edge.dispatchFetch("http://matrix.test/last");
      expect(await last.text()).toBe("ok");
      // The platform's freeze, simulated: wait for the registered promises only, then look at once.
      await last.waitUntil();
      expect(s.traces((t) => t.name === "last")).toHaveLength(1);
      return result;
    },
  };
}

const atExit = "✅ at process end";
const cells: Cell[] = [
  ...NODE.map(
    (v): Cell => ({
      runtime: `Node ${v}`,
      asyncContext: true,
      last: atExit,
      run: (s) => runMain(binary(`node@${v}`, ["-p", "process.execPath"]), ["main.mjs"], standInEnv(s)),
    }),
  ),
  {
    runtime: `Bun ${BUN}`,
    asyncContext: true,
    last: atExit,
    run: (s) => runMain(binary(`bun@${BUN}`, ["-e", "console.log(process.execPath)"]), ["main.mjs"], standInEnv(s)),
  },
  {
    runtime: `Deno ${DENO}, \`--allow-env\``,
    asyncContext: true,
    last: atExit,
    run: (s) =>
      runMain(
        binary(`deno@${DENO}`, ["eval", "console.log(Deno.execPath())"]),
        ["run", "--no-prompt", "--allow-net=127.0.0.1", "--allow-read", "--allow-env", "main.mjs"],
        standInEnv(s),
      ),
  },
  {
    runtime: `Deno ${DENO}, no \`--allow-env\` (options passed to \`init()\`)`,
    asyncContext: true,
    last: atExit,
    says: [ENV_DENIED],
    run: (s) =>
      runMain(
        binary(`deno@${DENO}`, ["eval", "console.log(Deno.execPath())"]),
        ["run", "--no-prompt", "--allow-net=127.0.0.1", "--allow-read", "main.mjs", s.apiKey, s.projectName, s.url],
        {},
      ),
  },
  workerdCell(["nodejs_compat"], false, "Cloudflare workerd, `nodejs_compat`", true),
  workerdCell(["nodejs_als"], true, "Cloudflare workerd, `nodejs_als` (`asyncLocalStorage` passed)", true),
  workerdCell([], false, "Cloudflare workerd, no flags", false),
  edgeCell(false, "Vercel Edge (`edge-runtime`)"),
  edgeCell(true, "Vercel Edge (`edge-runtime` + the global `AsyncLocalStorage` Next.js and Vercel provide)"),
];

/** A trace as the stand-in stored it: name, ids, and each span as `parent > name`. */
function shape(t: TraceResponse): { name: string; user: string | null; session: string | null; spans: string[] } {
  const names = new Map(t.spans.map((s) => [s.span_id, s.name]));
  const spans = t.spans.map((s) => `${s.parent_span_id ? names.get(s.parent_span_id) : "(root)"} > ${s.name}`);
  return { name: t.name, user: t.user_id ?? null, session: t.session_id ?? null, spans: spans.sort() };
}

const NESTED = ["(root) > outer", "outer > inner"];
const WITH_IDS = { user: "u-matrix", session: "s-matrix" };
const NO_IDS = { user: null, session: null };

/** Short names for what a cell said (each once); anything else is kept as said (and fails the expectations). */
function said(warnings: string[]): string[] {
  const known: Array<[RegExp, string]> = [
    [/reading environment variables is not allowed/, ENV_DENIED],
    [/this runtime has no AsyncLocalStorage, so context does not follow await: .* Exact everywhere: /, NO_ALS],
    [/span "outer" started outside any trace/, LOST_SPAN],
  ];
  return warnings.map((w) => known.find(([re]) => re.test(w))?.[1] ?? w);
}

describe.sequential("runtime matrix (the built package; run `pnpm build` first, the test command does)", () => {
  it.each(cells)(
    "$runtime",
    async (cell) => {
      standIn.reset();
      const result = await cell.run(standIn);
      const traces = standIn.traces().map(shape);
      const byName = (name: string) => traces.filter((t) => t.name === name);
      expect(standIn.schemaErrors()).toEqual([]);

      const explicitOk =
        JSON.stringify(byName("explicit")) === JSON.stringify([{ name: "explicit", ...WITH_IDS, spans: NESTED }]);
      const scoreOk = standIn.scores().some((s) => s.trace_id === result.contextual && s.name === "matrix");
      const flushOk = result.flushed.ok && result.flushed.pending === 0;
      const lastOk =
        JSON.stringify(byName("last")) === JSON.stringify([{ name: "last", ...NO_IDS, spans: ["(root) > step"] }]);
      let context: string;
      if (cell.asyncContext) {
        expect(byName("contextual")).toEqual([{ name: "contextual", ...WITH_IDS, spans: NESTED }]);
        expect(traces.map((t) => t.name).sort()).toEqual(["contextual", "explicit", "last"]);
        context = "✅";
      } else {
        // Documented degradation: the trace keeps its user and session (started synchronously in their scopes);
        // each span started after an await becomes a trace of its own, without them; both are said.
        expect(byName("contextual")).toEqual([{ name: "contextual", ...WITH_IDS, spans: [] }]);
        expect([...byName("outer"), ...byName("inner")]).toEqual([
          { name: "outer", ...NO_IDS, spans: ["(root) > outer"] },
          { name: "inner", ...NO_IDS, spans: ["(root) > inner"] },
        ]);
        expect(traces.map((t) => t.name).sort()).toEqual(["contextual", "explicit", "inner", "last", "outer"]);
        context = "⚠️ scopes end at the first `await`: `outer` and `inner` sent as traces of their own";
      }
      expect({ explicitOk, scoreOk, flushOk, lastOk }).toEqual({
        explicitOk: true,
        scoreOk: true,
        flushOk: true,
        lastOk: true,
      });
      const says = said(result.warnings);
      expect(says).toEqual(cell.says ?? []);
      const mark = (ok: boolean) => (ok ? "✅" : "❌");
      rows.push([
        cell.runtime,
        context,
        mark(explicitOk),
        mark(scoreOk),
        mark(flushOk),
        cell.last,
        says.join("; ") || "—",
      ]);
    },
    180_000,
  );

  it("the README's results table is this run's", () => {
    expect(rows).toHaveLength(cells.length);
    const header: Row = [
      "Runtime (from the npm registry)",
      "`user()`/`session()` and nested `withSpan()` across `await`",
      "Explicit nesting and ids",
      "Score",
      "`flush()`",
      "Last trace, no `flush()`",
      "Warnings (each once)",
    ];
    const text = readFileSync(readme, "utf8");
    const start = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    expect(start, `README.md has no ${BEGIN} ... ${END} block`).toBeGreaterThan(-1);
    // Compared cell by cell: Biome aligns the columns of the checked-in table.
    const inReadme = text
      .slice(start + BEGIN.length, end)
      .split("\n")
      .filter((line) => line.trim().startsWith("|"))
      .map((line) =>
        line
          .trim()
          .slice(1, -1)
          .split("|")
          .map((c) => c.trim()),
      )
      .filter((cells) => !cells.every((c) => /^:?-+:?$/.test(c)));
    const wanted = [header, ...rows];
    if (process.env.UPDATE_RUNTIME_MATRIX === "1" && JSON.stringify(inReadme) !== JSON.stringify(wanted)) {
      const table = [header, header.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
      writeFileSync(readme, `${text.slice(0, start + BEGIN.length)}\n${table}\n${text.slice(end)}`);
      execFileSync(biome, ["format", "--write", readme]);
      return;
    }
    expect(inReadme, "the README's runtime table differs from this run: UPDATE_RUNTIME_MATRIX=1 rewrites it").toEqual(
      wanted,
    );
  });
});
