/**
 * The end of a process, in child processes: SIGTERM/SIGINT deliver what is queued and the process still ends by the
 * signal; an app's own handler decides instead; a hung backend holds an ended process only `exitTimeoutMs`;
 * `process.exit()` reports what it loses, and with `spoolDir` the next start delivers it.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { startStandIn, type StandIn } from "./helpers.js";

const coreDir = fileURLToPath(new URL("..", import.meta.url));

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs `script` (an ES module importing the SDK's source as "./src/index.ts") in a child process. With `signal`,
 * sends it once the child prints "ready".
 */
async function runChild(
  script: string,
  env: Record<string, string>,
  signal?: NodeJS.Signals,
  timeoutMs = 15_000,
): Promise<Ended> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: coreDir,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  createInterface({ input: child.stdout! }).on("line", (line) => {
    stdout += `${line}\n`;
    if (line === "ready" && signal) child.kill(signal);
  });
  const guard = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  try {
    const [code, sig] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
    return { code, signal: sig, stdout, stderr, ms: performance.now() - t0 };
  } finally {
    clearTimeout(guard);
  }
}

let standIn: StandIn | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const envFor = (s: StandIn, extra: Record<string, string> = {}) => ({
  PANDAPROBE_API_KEY: s.apiKey,
  PANDAPROBE_PROJECT_NAME: s.projectName,
  PANDAPROBE_ENDPOINT: s.url,
  ...extra,
});

/** A long-running process (a server, say) with 20 traces queued, waiting for the next batch. */
const server = (prelude = "") => `
  import { PandaProbe } from "./src/index.ts";
  ${prelude}
  const client = new PandaProbe({ flushIntervalMs: 60_000 });
  for (let i = 0; i < 20; i++) client.startTrace("queued-" + i).end();
  setInterval(() => {}, 1000);
  setImmediate(() => console.log("ready"));
`;

describe("signals", () => {
  it.each(["SIGTERM", "SIGINT"] as const)(
    "%s with no handler of the app's: the queued traces are delivered, then the process ends by the signal",
    async (signal) => {
      standIn = await startStandIn();
      const ended = await runChild(server(), envFor(standIn), signal);
      expect(ended).toMatchObject({ code: null, signal, stderr: "" });
      expect(await standIn.waitForTraces(20)).toHaveLength(20);
    },
  );

  it("SIGTERM with a handler of the app's: the SDK delivers, and leaves ending the process to the app", async () => {
    standIn = await startStandIn();
    const prelude = `process.on("SIGTERM", () => setTimeout(() => { console.log("app ends it"); process.exit(7); }, 500));`;
    const ended = await runChild(server(prelude), envFor(standIn), "SIGTERM");
    expect(ended).toMatchObject({ code: 7, signal: null, stderr: "" });
    expect(ended.stdout).toContain("app ends it");
    expect(await standIn.waitForTraces(20)).toHaveLength(20);
  });

  it("SIGTERM with a hung backend: the process still ends by the signal, after exitTimeoutMs, saying what was lost", async () => {
    standIn = await startStandIn();
    standIn.faults.hang(true);
    const ended = await runChild(server(), envFor(standIn), "SIGTERM");
    expect(ended).toMatchObject({ code: null, signal: "SIGTERM" });
    expect(ended.stderr).toMatch(/20 trace\(s\) \(20 item\(s\) in all\) not delivered and lost/);
    expect(ended.ms).toBeLessThan(8000);
    standIn.faults.hang(false);
  });
});

describe("the event loop running empty", () => {
  it("a hung backend holds the ended process for exitTimeoutMs, not more, and the loss is reported", async () => {
    standIn = await startStandIn();
    standIn.faults.hang(true);
    const script = `
      import { PandaProbe } from "./src/index.ts";
      const client = new PandaProbe({ exitTimeoutMs: 1000 });
      for (let i = 0; i < 5; i++) client.startTrace("stuck-" + i).end();
      setImmediate(() => console.log("ended"));
    `;
    const ended = await runChild(script, envFor(standIn));
    expect(ended.code).toBe(0);
    expect(ended.stderr).toMatch(
      /the process is ending and 1000 ms \(exitTimeoutMs\) were not enough: 5 trace\(s\) \(5 item\(s\) in all\) not delivered and lost/,
    );
    // Node's start-up and tsx take about a second here; the SDK adds its one second, not the request timeout (10 s).
    expect(ended.ms).toBeLessThan(6000);
    expect(standIn.requests.length).toBeGreaterThan(0); // it did try
    standIn.faults.hang(false);
  });
});

describe("exitTimeoutMs: 0", () => {
  it("delivers nothing at process end and says so, and installs no signal handler", async () => {
    standIn = await startStandIn();
    const script = `
      import { PandaProbe } from "./src/index.ts";
      const client = new PandaProbe({ exitTimeoutMs: 0, flushIntervalMs: 60_000 });
      client.startTrace("left").end();
      setImmediate(() => console.log(process.listenerCount("SIGTERM")));
    `;
    const ended = await runChild(script, envFor(standIn));
    expect(ended.code).toBe(0);
    expect(ended.stdout).toBe("0\n");
    expect(ended.stderr).toMatch(
      /exitTimeoutMs is 0: no delivery at process end\): 1 trace\(s\) \(1 item\(s\) in all\) not delivered and lost/,
    );
    expect(standIn.requests).toHaveLength(0);
  });
});

describe("process.exit()", () => {
  const exiting = `
    import { PandaProbe } from "./src/index.ts";
    const client = new PandaProbe({ flushIntervalMs: 60_000 });
    for (let i = 0; i < 50; i++) client.startTrace("exit-" + i).end();
    process.exit(0);
  `;

  it("prints how many traces it loses", async () => {
    standIn = await startStandIn();
    const ended = await runChild(exiting, envFor(standIn));
    expect(ended.code).toBe(0);
    expect(ended.stderr).toMatch(
      /the process exited \(process\.exit\(\) or a fatal error\): 50 trace\(s\) \(50 item\(s\) in all\) not delivered and lost\. `await flush\(\)` before the process ends, or set spoolDir/,
    );
    expect(standIn.requests).toHaveLength(0);
  });

  it("with spoolDir, writes them synchronously, and the next start delivers them", async () => {
    standIn = await startStandIn();
    const dir = mkdtempSync(join(tmpdir(), "pandaprobe-spool-"));
    dirs.push(dir);
    const first = await runChild(exiting, envFor(standIn, { PANDAPROBE_SPOOL_DIR: dir }));
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(
      /50 trace\(s\) \(50 item\(s\) in all\) not delivered yet were written to .*pandaprobe-spool-/,
    );
    expect(readdirSync(dir)).toHaveLength(1);
    expect(standIn.requests).toHaveLength(0);
    const next = `
      import { PandaProbe } from "./src/index.ts";
      const client = new PandaProbe();
      console.log(JSON.stringify(await client.flush()));
    `;
    const second = await runChild(next, envFor(standIn, { PANDAPROBE_SPOOL_DIR: dir }));
    expect(second.stderr).toBe("");
    expect(JSON.parse(second.stdout)).toMatchObject({ ok: true, sent: 50, pending: 0 });
    expect(readdirSync(dir)).toEqual([]);
    expect((await standIn.waitForTraces(50)).map((t) => t.name).sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `exit-${i}`).sort(),
    );
    // Another project's client leaves a spool file alone.
    const third = await runChild(exiting, envFor(standIn, { PANDAPROBE_SPOOL_DIR: dir }));
    expect(third.code).toBe(0);
    const other = await runChild(
      next,
      envFor(standIn, { PANDAPROBE_SPOOL_DIR: dir, PANDAPROBE_PROJECT_NAME: "other" }),
    );
    expect(JSON.parse(other.stdout)).toMatchObject({ ok: true, sent: 0 });
    expect(readdirSync(dir)).toHaveLength(1);
  });
});
