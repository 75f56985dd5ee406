/**
 * HTTP sender benchmark: client-side CPU µs and wall time per request for core's two senders, the `node:http`
 * keep-alive agent sender (what Node uses) and the `fetch` sender (edge runtimes, or a `fetch` from the options),
 * posting a 1.5 KB JSON body at concurrency 4 to a minimal `node:http` server in a child process (so the server's
 * CPU is not counted). Each sender is warmed up, then measured over ROUNDS rounds of REQUESTS requests; the row
 * reports the median round (CPU numbers on a shared machine are noisy). A last row measures the floor: raw
 * sockets writing a prebuilt request, no parsing.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { Agent, request } from "node:http";
import { connect } from "node:net";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fetchSender, type HttpSender, type SenderIdentity } from "../packages/core/src/transport/http-sender.js";
import { nodeHttpSender } from "../packages/core/src/transport/node-sender.js";
import { r2, stats, type BenchRow } from "./lib.js";

const CONCURRENCY = 4;
const WARMUP = 3000;
const REQUESTS = 3000;
const ROUNDS = 3;

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

/** CONCURRENCY workers, each sending one request after the other, as the transport's lane does. */
function senderRunner(send: HttpSender, payload: string): Runner {
  const ids = Array.from({ length: 64 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
  return async (n, latencies) => {
    let next = 0;
    const worker = async () => {
      while (next < n) {
        const i = next++;
        const t0 = performance.now();
        const res = await send.send({ method: "POST", path: "/traces", body: payload, requestId: ids[i & 63]! });
        if (res.status !== 202) throw new Error(`unexpected status ${res.status}`);
        latencies?.push((performance.now() - t0) * 1000);
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
  const payload = body();
  const floor = await floorRunner(Number(new URL(server.url).port), payload);
  const id: SenderIdentity = {
    endpoint: server.url,
    apiKey: "sk_pp_bench",
    projectName: "bench",
    userAgent: "pandaprobe-typescript/0.1.0",
    timeoutMs: 10_000,
  };
  const runners: Array<[string, Runner]> = [
    ["fetch sender (undici)", senderRunner(fetchSender(fetch, id), payload)],
    ["node:http sender, keep-alive agent", senderRunner(nodeHttpSender(id, { sockets: CONCURRENCY })!, payload)],
    ["reference: plain node:http (object headers, closures, bodies read)", senderRunner(plainNodeSender(id), payload)],
    ["floor: raw socket write + read, no parsing", floor.run],
  ];
  const rows: BenchRow[] = [];
  try {
    for (const [name, runner] of runners) {
      const { latencies, cpu, secs } = await measureRounds(runner);
      const { median, p95 } = stats(latencies);
      rows.push({
        name: `http sender: ${name} (POST ${payload.length} B, concurrency ${CONCURRENCY})`,
        medianUs: r2(median),
        p95Us: r2(p95),
        cpuUs: r2((cpu.user + cpu.system) / REQUESTS),
        note: `${Math.round(REQUESTS / secs)} req/s; CPU user ${r2(cpu.user / REQUESTS)} + sys ${r2(cpu.system / REQUESTS)} µs (median of ${ROUNDS} rounds)`,
      });
    }
  } finally {
    floor.close();
    await server.close();
  }
  return rows;
}

/** For comparison: node:http as it is usually written (header object, closures per request, every body read). */
function plainNodeSender(id: SenderIdentity): HttpSender {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const url = new URL(id.endpoint);
  return {
    name: "plain node:http",
    abortAll() {},
    send: (r) =>
      new Promise((resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: r.path,
            method: r.method,
            agent,
            headers: {
              "X-API-Key": id.apiKey,
              "X-Project-Name": id.projectName,
              "Content-Type": "application/json",
              "User-Agent": id.userAgent,
              "X-Request-ID": r.requestId,
              "Content-Length": Buffer.byteLength(r.body),
            },
          },
          (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (c: string) => (text += c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, retryAfter: undefined, text }));
            res.on("error", reject);
          },
        );
        req.on("error", reject);
        req.setTimeout(id.timeoutMs, () => req.destroy(new Error("timeout")));
        req.end(r.body);
      }),
  };
}
