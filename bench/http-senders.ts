/**
 * HTTP sender benchmark: client-side CPU µs and wall time per request for `fetch`, `node:http` (keep-alive
 * agent) and the lean raw-socket sender, posting a 1.5 KB JSON body at concurrency 4 to a minimal
 * `node:http` server in a child process (so the server's CPU is not counted). Each sender is warmed up, then
 * measured over ROUNDS rounds of REQUESTS requests; the row reports the median round (CPU numbers on a shared
 * machine are noisy). The lean sender is measured one request at a time and in pipelined batches of BATCH
 * (`sendBatch`, what the transport does with bursts). A last row measures the floor: raw sockets writing a
 * prebuilt request, no parsing.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { connect } from "node:net";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import {
  Canceller,
  fetchSender,
  type HttpResponse,
  type HttpSender,
} from "../packages/core/src/transport/http-sender.js";
import { leanHttpSender } from "../packages/core/src/transport/lean-http.js";
import { r2, stats, type BenchRow } from "./lib.js";

const CONCURRENCY = 4;
const WARMUP = 3000;
const REQUESTS = 3000;
const ROUNDS = 3;
const BATCH = 25;

const SERVER = `
const http = require("node:http");
const reply = '{"trace_id":"x","task_id":"y"}';
const server = http.createServer({ keepAliveTimeout: 30000 }, (req, res) => {
  req.on("data", () => {});
  req.on("end", () => res.writeHead(202, { "content-type": "application/json", "content-length": reply.length }).end(reply));
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
`;

async function startServer(): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, ["-e", SERVER], { stdio: ["pipe", "pipe", "inherit"] });
  const [port] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      child.stdin!.end();
      await once(child, "exit");
    },
  };
}

function body(): string {
  const spans = [];
  for (let i = 0; JSON.stringify(spans).length < 1400; i++) {
    spans.push({
      span_id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      name: `span-${i}`,
      kind: "LLM",
      started_at: "2026-03-01T10:00:00.000Z",
    });
  }
  return JSON.stringify({
    trace_id: "00000000-0000-4000-8000-000000000000",
    name: "bench",
    started_at: "2026-03-01T10:00:00.000Z",
    spans,
  });
}

type Runner = (n: number, latencies?: number[]) => Promise<void>;

function senderRunner(send: HttpSender, url: string, payload: string): Runner {
  return (n, latencies) => runSender(send, url, payload, n, latencies);
}

async function runSender(
  send: HttpSender,
  url: string,
  payload: string,
  n: number,
  latencies?: number[],
): Promise<void> {
  const base = {
    "X-API-Key": "sk_pp_bench",
    "X-Project-Name": "bench",
    "Content-Type": "application/json",
    "User-Agent": "pandaprobe-typescript/0.1.0",
  };
  const ids = Array.from({ length: 64 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const t0 = performance.now();
      // A canceller per request, as the transport passes for a batch of one (timeouts and shutdown abort it).
      const res = await send({
        method: "POST",
        url,
        headers: { ...base, "X-Request-ID": ids[i & 63] },
        body: payload,
        signal: new Canceller(),
      });
      if (res.status !== 202) throw new Error(`unexpected status ${res.status}`);
      latencies?.push((performance.now() - t0) * 1000);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/** Batches of `size` through `sendBatch` (pipelined on one socket by the lean sender), CONCURRENCY batches at once. */
function batchRunner(send: HttpSender, url: string, payload: string, size: number): Runner {
  const base = {
    "X-API-Key": "sk_pp_bench",
    "X-Project-Name": "bench",
    "Content-Type": "application/json",
    "User-Agent": "pandaprobe-typescript/0.1.0",
  };
  return async (n, latencies) => {
    let next = 0;
    const worker = async () => {
      while (next < n) {
        const count = Math.min(size, n - next);
        const requests = Array.from({ length: count }, (_, k) => ({
          method: "POST",
          url,
          headers: { ...base, "X-Request-ID": `00000000-0000-4000-8000-${String((next + k) & 63).padStart(12, "0")}` },
          body: payload,
        }));
        next += count;
        const t0 = performance.now();
        const results = await send.sendBatch(requests, new Canceller());
        const us = (performance.now() - t0) * 1000;
        for (const r of results) {
          if (r instanceof Error || r.status !== 202)
            throw new Error(`unexpected result ${r instanceof Error ? r.message : r.status}`);
          latencies?.push(us); // each request completes by the end of its batch
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  };
}

/** The floor: CONCURRENCY raw sockets writing a prebuilt request and treating each read as one response. */
async function floorRunner(port: number, payload: string): Promise<{ run: Runner; close(): void }> {
  const wire = `POST /traces HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\nContent-Length: ${payload.length}\r\n\r\n${payload}`;
  const sockets = await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const s = connect({ host: "127.0.0.1", port, noDelay: true });
      await once(s, "connect");
      return s;
    }),
  );
  const run: Runner = async (n, latencies) => {
    let next = 0;
    await Promise.all(
      sockets.map(
        (s) =>
          new Promise<void>((done) => {
            let t0 = 0;
            const go = () => {
              if (t0) latencies?.push((performance.now() - t0) * 1000);
              if (next++ >= n) return done(void s.removeListener("data", go));
              t0 = performance.now();
              s.write(wire, "latin1");
            };
            s.on("data", go);
            go();
          }),
      ),
    );
  };
  return { run, close: () => sockets.forEach((s) => s.destroy()) };
}

async function measureRounds(run: Runner): Promise<{ latencies: number[]; cpu: NodeJS.CpuUsage; secs: number }> {
  await run(WARMUP);
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const latencies: number[] = [];
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await run(REQUESTS, latencies);
    rounds.push({ secs: (performance.now() - t0) / 1000, cpu: process.cpuUsage(cpu0), latencies });
  }
  rounds.sort((a, b) => a.cpu.user + a.cpu.system - (b.cpu.user + b.cpu.system));
  return rounds[Math.floor(ROUNDS / 2)];
}

export default async function run(): Promise<BenchRow[]> {
  const server = await startServer();
  const url = `${server.url}/traces`;
  const payload = body();
  const floor = await floorRunner(Number(new URL(server.url).port), payload);
  const runners: Array<[string, Runner | undefined, string?]> = [
    ["fetch", senderRunner(fetchSender(fetch), url, payload)],
    ["node:http keep-alive agent", senderRunner(nodeHttpSender(server.url, CONCURRENCY)!, url, payload)],
    [
      "lean raw-socket sender",
      senderRunner(leanHttpSender(server.url, CONCURRENCY)!, url, payload),
      "≤ 30 µs CPU/request",
    ],
    [
      `lean raw-socket sender, pipelined batches of ${BATCH} (latency = whole batch)`,
      batchRunner(leanHttpSender(server.url, CONCURRENCY)!, url, payload, BATCH),
    ],
    ["floor: raw socket write + read, no parsing", floor.run],
  ];
  const rows: BenchRow[] = [];
  try {
    for (const [name, runner, target] of runners) {
      if (!runner) continue;
      const { latencies, cpu, secs } = await measureRounds(runner);
      const { median, p95 } = stats(latencies);
      rows.push({
        name: `http sender: ${name} (POST ${payload.length} B, concurrency ${CONCURRENCY})`,
        medianUs: r2(median),
        p95Us: r2(p95),
        cpuUs: r2((cpu.user + cpu.system) / REQUESTS),
        target,
        note: `${Math.round(REQUESTS / secs)} req/s; CPU user ${r2(cpu.user / REQUESTS)} + sys ${r2(cpu.system / REQUESTS)} µs (median of ${ROUNDS} rounds)`,
      });
    }
  } finally {
    floor.close();
    await server.close();
  }
  return rows;
}

interface NodeHttpModule {
  request(url: URL, options: Record<string, unknown>, cb: (res: NodeIncoming) => void): NodeClientRequest;
  Agent: new (options: Record<string, unknown>) => unknown;
}
interface NodeIncoming {
  statusCode?: number;
  headers: Record<string, string | string[] | undefined>;
  setEncoding(enc: string): void;
  on(event: string, fn: (arg?: unknown) => void): void;
}
interface NodeClientRequest {
  on(event: string, fn: (err: Error) => void): void;
  destroy(err?: Error): void;
  end(body: string): void;
}

function builtin(id: string): NodeHttpModule | undefined {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    return proc?.getBuiltinModule?.(id) as NodeHttpModule | undefined;
  } catch {
    return undefined;
  }
}

/** A `node:http(s)` sender for `endpoint`, or undefined when the runtime has no Node http module. */
/** For comparison only: a `node:http` keep-alive agent sender (what core used before the lean client). */
function nodeHttpSender(endpoint: string, concurrency: number): HttpSender | undefined {
  const isHttps = endpoint.startsWith("https:");
  const mod = builtin(isHttps ? "node:https" : "node:http");
  if (!mod?.request || !mod.Agent) return undefined;
  // Idle keep-alive sockets are unref'd by Node's agent, so they never keep the process alive.
  const agent = new mod.Agent({ keepAlive: true, maxSockets: Math.max(1, concurrency), scheduling: "lifo" });
  return ({ method, url, headers, body, signal }) =>
    new Promise<HttpResponse>((resolve, reject) => {
      if (signal.aborted) return reject(new Error("request aborted"));
      const req = mod.request(
        new URL(url),
        { method, agent, headers: { ...headers, "Content-Length": String(byteLength(body)) } },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk) => (text += chunk as string));
          res.on("end", () => {
            signal.removeEventListener("abort", onAbort);
            const ra = res.headers["retry-after"];
            resolve({ status: res.statusCode ?? 0, retryAfter: Array.isArray(ra) ? ra[0] : (ra ?? null), text });
          });
          res.on("error", (e) => reject(e));
        },
      );
      const onAbort = () => req.destroy(new Error("request aborted (timeout or shutdown)"));
      signal.addEventListener("abort", onAbort, { once: true });
      req.on("error", (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      });
      req.end(body);
    });
}

const encoder = typeof TextEncoder === "function" ? new TextEncoder() : undefined;
function byteLength(s: string): number {
  // Fast path for ASCII bodies; exact UTF-8 length otherwise.
  for (let i = 0; i < s.length; i++)
    if (s.charCodeAt(i) > 127) return encoder ? encoder.encode(s).length : unescape(encodeURIComponent(s)).length;
  return s.length;
}
