/**
 * Runtime behaviour beyond the matrix (matrix.test.ts runs the same program on every runtime): a Worker's client
 * kept in module state across requests, the sender on Node's minimum, signals on Bun and Deno, and the
 * denied-environment rule on its own. All load the built package (run `pnpm build` first; the test command does).
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Miniflare } from "miniflare";
import { afterEach, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/resolve-config.js";
import { logger } from "../../src/integration/index.js";
import { startStandIn, type StandIn } from "../helpers.js";

const coreDir = fileURLToPath(new URL("../..", import.meta.url));

let standIn: StandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

describe("Cloudflare Workers (workerd, nodejs_compat)", () => {
  it("three sequential requests, each tracing and flushing, are all delivered", async () => {
    standIn = await startStandIn();
    // One client for the isolate, made by the first request and kept, as a Worker's module state is: every request
    // must send with I/O of its own (Workers forbids reusing a socket or promise across requests).
    const worker = `
      import core from "./index.cjs";
      let client;
      export default {
        async fetch(request, env) {
          client ??= new core.PandaProbe({ apiKey: env.KEY, projectName: env.PROJECT, endpoint: env.ENDPOINT, flushIntervalMs: 60_000 });
          const n = new URL(request.url).searchParams.get("n");
          client.startTrace("worker-" + n, {}, (t) => t.startSpan("step-" + n).end());
          return Response.json(await client.flush({ timeoutMs: 2000 }));
        },
      };`;
    const mf = new Miniflare({
      modules: [
        { type: "ESModule", path: "worker.mjs", contents: worker },
        // The CommonJS build is self-contained (p-queue inlined; its entries and their shared chunk): no bundler.
        ...readdirSync(`${coreDir}/dist`)
          .filter((f) => f.endsWith(".cjs"))
          .map((f) => ({ type: "CommonJS" as const, path: f, contents: readFileSync(`${coreDir}/dist/${f}`, "utf8") })),
      ],
      compatibilityDate: "2025-09-01",
      compatibilityFlags: ["nodejs_compat"],
      bindings: { KEY: standIn.apiKey, PROJECT: standIn.projectName, ENDPOINT: standIn.url },
    });
    try {
      const results: unknown[] = [];
      for (let n = 1; n <= 3; n++) results.push(await (await mf.dispatchFetch(`http://worker.test/?n=${n}`)).json());
      expect(results).toEqual(Array(3).fill({ ok: true, timedOut: false, sent: 1, failed: 0, dropped: 0, pending: 0 }));
    } finally {
      await mf.dispose();
    }
    const traces = await standIn.waitForTraces(3);
    expect(traces.map((t) => [t.name, t.spans.map((s) => s.name)]).sort()).toEqual([
      ["worker-1", ["step-1"]],
      ["worker-2", ["step-2"]],
      ["worker-3", ["step-3"]],
    ]);
    expect(standIn.schemaErrors()).toEqual([]);
  }, 60_000);
});

describe("Node 20.16.0, the declared minimum", () => {
  it("the ESM build follows context across await and sends with node:http", async () => {
    standIn = await startStandIn();
    const script = `
      import { PandaProbe, user, getCurrentUserId } from "@pandaprobe/core";
      const lines = [];
      console.debug = (m) => lines.push(String(m));
      const client = new PandaProbe({ apiKey: ${JSON.stringify(standIn.apiKey)}, projectName: "floor", endpoint: ${JSON.stringify(standIn.url)}, debug: true });
      const seen = await user("u-floor", async () => { await new Promise((r) => setTimeout(r, 1)); return getCurrentUserId(); });
      await user("u-floor", async () => { await new Promise((r) => setTimeout(r, 1)); client.startTrace("floor").end(); });
      const result = await client.flush();
      console.log(JSON.stringify({ version: process.version, seen, ok: result.ok, sender: lines.find((l) => l.includes("sending to")) }));
    `;
    // Asynchronously: the stand-in runs in this process.
    const { stdout: out } = await promisify(execFile)(
      "npx",
      ["-y", "node@20.16.0", "--input-type=module", "-e", script],
      {
        cwd: coreDir,
        encoding: "utf8",
      },
    );
    const { version, seen, ok, sender } = JSON.parse(out.trim().split("\n").pop()!);
    expect({ version, seen, ok }).toEqual({ version: "v20.16.0", seen: "u-floor", ok: true });
    expect(sender).toMatch(/with node:http, keep-alive agent/);
    expect((await standIn.waitForTraces(1))[0]!.user_id).toBe("u-floor");
  }, 120_000);
});

/** The path of a runtime's binary from the npm registry (fetched by npx), to signal the runtime itself. */
function runtimeBinary(pkg: string, printExecPath: string[]): string {
  return execFileSync("npx", ["-y", pkg, ...printExecPath], { encoding: "utf8" })
    .trim()
    .split("\n")
    .pop()!;
}

describe("SIGTERM on Bun and Deno", () => {
  it.each([
    ["bun@1.4.4", ["-e", "console.log(process.execPath)"], (file: string) => [file]],
    ["deno@2.9.6", ["eval", "console.log(Deno.execPath())"], (file: string) => ["run", "-A", file]],
  ] as const)(
    "%s: queued traces are delivered, then the process ends by the signal",
    async (pkg, probe, args) => {
      standIn = await startStandIn();
      const binary = runtimeBinary(pkg, [...probe]);
      const file = join(coreDir, `.signal-probe-${process.pid}.mjs`);
      writeFileSync(
        file,
        `
      import { PandaProbe } from "./dist/index.js";
      const client = new PandaProbe({ apiKey: ${JSON.stringify(standIn.apiKey)}, projectName: "signals", endpoint: ${JSON.stringify(standIn.url)}, flushIntervalMs: 60_000 });
      for (let i = 0; i < 5; i++) client.startTrace("signal-" + i).end();
      setInterval(() => {}, 1000);
      setTimeout(() => console.log("ready"), 20);
    `,
      );
      try {
        const child = spawn(binary, args(file), { cwd: coreDir, stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        child.stderr!.on("data", (d) => (stderr += d));
        child.stdout!.on("data", (d) => String(d).includes("ready") && child.kill("SIGTERM"));
        const [code, signal] = (await once(child, "exit")) as [number | null, string | null];
        expect({ code, signal, stderr }).toEqual({ code: null, signal: "SIGTERM", stderr: "" });
      } finally {
        rmSync(file, { force: true });
      }
      expect(await standIn.waitForTraces(5)).toHaveLength(5);
    },
    120_000,
  );
});

describe("denied environment access", () => {
  it("a variable whose read throws reads as unset, with one warning for the process", () => {
    const lines: string[] = [];
    const prev = logger.setSink({ debug() {}, warn: (m: string) => lines.push(m), error() {} });
    logger.resetOnce();
    try {
      const denied = new Proxy({} as Record<string, string>, {
        get(_t, name) {
          throw Object.assign(new Error(`Requires env access to "${String(name)}"`), { name: "NotCapable" });
        },
      });
      const { config, problems } = resolveConfig({ apiKey: "k", projectName: "p", batchSize: 3 }, denied);
      expect(problems).toEqual([]);
      expect(config).toMatchObject({
        enabled: true,
        apiKey: "k",
        batchSize: 3,
        endpoint: "https://api.pandaprobe.com",
      });
      resolveConfig({}, denied);
      expect(lines.filter((l) => /not allowed/.test(l))).toHaveLength(1);
    } finally {
      logger.setSink(prev);
    }
  });
});
