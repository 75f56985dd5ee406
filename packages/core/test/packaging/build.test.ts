import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { SDK_VERSION } from "../../src/index.js";
import { runModule } from "../child-process.js";
import { startStandIn, type StandIn } from "../helpers.js";

const pkgDir = fileURLToPath(new URL("../..", import.meta.url));
const node = (args: string[], env: Record<string, string> = {}) =>
  execFileSync(process.execPath, args, { cwd: pkgDir, env: { ...process.env, ...env }, encoding: "utf8" });

let standIn: StandIn | undefined;
const standInEnv = (s: StandIn) => ({
  PANDAPROBE_API_KEY: s.apiKey,
  PANDAPROBE_PROJECT_NAME: s.projectName,
  PANDAPROBE_ENDPOINT: s.url,
});
/** Every published package (a directory of packages/ whose package.json is not private): found, never listed. */
const packagesDir = fileURLToPath(new URL("../../../", import.meta.url));
const published = readdirSync(packagesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`${packagesDir}${d.name}/package.json`))
  .map((d) => d.name)
  .filter((name) => JSON.parse(readFileSync(`${packagesDir}${name}/package.json`, "utf8")).private !== true)
  .sort();

afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

describe("the built package (run `pnpm build` first; the test command does)", () => {
  it("finds every published package", () => {
    expect(published).toEqual(expect.arrayContaining(["core", "langgraph", "openai", "vercel-ai"]));
    expect(published).not.toContain("testing");
  });

  it.each(published)("@pandaprobe/%s loads with import and require, with the same public surface", (name) => {
    const cwd = fileURLToPath(new URL(`../../../${name}`, import.meta.url));
    const run = (args: string[]) => execFileSync(process.execPath, args, { cwd, encoding: "utf8" }).trim();
    const esm = run([
      "--input-type=module",
      "-e",
      `const m = await import('@pandaprobe/${name}'); console.log(Object.keys(m).sort().join(','))`,
    ]);
    const cjs = run(["-e", `console.log(Object.keys(require('@pandaprobe/${name}')).sort().join(','))`]);
    expect(esm).toBe(cjs);
    expect(esm.length).toBeGreaterThan(0);
    const pkg = JSON.parse(readFileSync(`${cwd}/package.json`, "utf8"));
    expect(pkg).toMatchObject({ sideEffects: false, engines: { node: ">=20.16" } });
    expect(Object.keys(pkg.exports["."])).toEqual(["import", "require"]);
  });

  it("@pandaprobe/core/integration loads with import and require, sharing one copy of the SDK with the root entry", () => {
    const keys = (args: string[]) => node(args).trim();
    const esm = keys([
      "--input-type=module",
      "-e",
      "const m = await import('@pandaprobe/core/integration'); console.log(Object.keys(m).sort().join(','))",
    ]);
    const cjs = keys(["-e", "console.log(Object.keys(require('@pandaprobe/core/integration')).sort().join(','))"]);
    expect(esm).toBe(cjs);
    expect(esm.split(",")).toEqual(expect.arrayContaining(["createIntegration", "META", "guard", "nowMs"]));
    const pkg = JSON.parse(readFileSync(`${pkgDir}/package.json`, "utf8"));
    expect(Object.keys(pkg.exports["./integration"])).toEqual(["import", "require"]);
    // A failure guarded through the kit reaches the onError of a client made through the root entry (one logger,
    // one set of listeners), in both module systems.
    const reported = (prelude: string) =>
      node([
        ...(prelude.startsWith("import") ? ["--input-type=module"] : []),
        "-e",
        `${prelude}
        const client = new PandaProbe({ apiKey: "k", projectName: "p", endpoint: "http://127.0.0.1:9", onError: (e) => seen.push(e.kind) });
        const seen = [];
        console.warn = () => {};
        guard("packaging.check", () => { throw new Error("boom"); });
        console.log(JSON.stringify(seen));
        void client.shutdown({ timeoutMs: 10 });`,
      ]).trim();
    expect(
      reported('import { PandaProbe } from "@pandaprobe/core"; import { guard } from "@pandaprobe/core/integration";'),
    ).toBe('["internal"]');
    expect(
      reported(
        'const { PandaProbe } = require("@pandaprobe/core"); const { guard } = require("@pandaprobe/core/integration");',
      ),
    ).toBe('["internal"]');
  });

  it("does no work at import time (no global state, no timers, no listeners)", () => {
    const out = node([
      "-e",
      "const before = process.listenerCount('beforeExit'); require('@pandaprobe/core'); console.log(JSON.stringify({ carrier: Symbol.for('pandaprobe.sdk.v1') in globalThis, listeners: process.listenerCount('beforeExit') - before, handles: process.getActiveResourcesInfo().filter(r => r !== 'TTYWrap').length }))",
    ]);
    expect(JSON.parse(out)).toEqual({ carrier: false, listeners: 0, handles: 0 });
  });

  it("publishes no internals in its types (TraceImpl, SpanImpl, TraceSink, the client's sink methods)", () => {
    for (const ext of [".d.ts", ".d.cts"]) {
      const files = readdirSync(`${pkgDir}/dist`).filter((f) => f.endsWith(ext));
      const types = files.map((f) => readFileSync(`${pkgDir}/dist/${f}`, "utf8")).join("\n");
      expect(types).toContain("declare class PandaProbe");
      for (const internal of ["TraceImpl", "SpanImpl", "TraceSink", "WaitingTrace", "TraceRecord", "submitTrace"])
        expect(types).not.toContain(internal);
      for (const sinkMethod of ["traceStarted(", "traceWaiting(", "traceDropped(", "submitLateSpan("])
        expect(types).not.toContain(sinkMethod);
    }
  });

  it("keeps SDK_VERSION equal to package.json", () => {
    expect(JSON.parse(readFileSync(`${pkgDir}/package.json`, "utf8")).version).toBe(SDK_VERSION);
  });

  it("runs a pending deferRecording batch on normal process exit (its timer does not keep the process alive)", async () => {
    standIn = await startStandIn();
    const script = `
      import { PandaProbe } from "@pandaprobe/core";
      import { deferRecording } from "@pandaprobe/core/integration";
      const client = new PandaProbe({ flushIntervalMs: 60_000 });
      const started = Date.now();
      deferRecording(() => client.startTrace("recorded-at-exit", { metadata: { waitedMs: Date.now() - started } }).end());
    `;
    const { code, stderr } = await runModule(script, { env: standInEnv(standIn) });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const [t] = await standIn.waitForTraces(1);
    expect(t.name).toBe("recorded-at-exit");
    expect(t.metadata!.waitedMs).toBeLessThan(100); // ran at exit, not when the batch timer would have fired
  });

  it("delivers queued traces on normal process exit without flush()", async () => {
    standIn = await startStandIn();
    const script = `
      import { PandaProbe } from "@pandaprobe/core";
      const client = new PandaProbe({ flushIntervalMs: 60_000 });
      for (let i = 0; i < 3; i++) client.startTrace("exit-" + i).end();
    `;
    const { code, stderr } = await runModule(script, { env: standInEnv(standIn) });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect((await standIn.waitForTraces(3)).map((t) => t.name).sort()).toEqual(["exit-0", "exit-1", "exit-2"]);
  });

  it("never keeps the process alive: exits promptly with a dead backend and retries pending", async () => {
    const script = `
      import { PandaProbe } from "@pandaprobe/core";
      const client = new PandaProbe({ apiKey: "k", projectName: "p", endpoint: "http://127.0.0.1:9", flushIntervalMs: 10, retryBaseMs: 60000 });
      client.startTrace("lost-cause").end();
      setTimeout(() => {}, 50);
    `;
    const t0 = Date.now();
    const { code, stderr } = await runModule(script);
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(stderr).toContain("[pandaprobe]");
  });
});
