/**
 * Core benchmark: span start+end, finishing a 10-span trace (until queued), the cost of a sampled-out trace beside
 * a kept one, and delivery throughput to the local stand-in over HTTP.
 */
import { PandaProbe, startSpan } from "@pandaprobe/core";
import { startStandIn } from "@pandaprobe/testing";
import { measure, r2, type BenchRow } from "./lib.js";

export default async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const standIn = await startStandIn({ traceRateLimit: { limit: 10_000_000, windowMs: 60_000 } });
  const client = new PandaProbe({
    ...standIn.clientOptions,
    flushIntervalMs: 3_600_000,
    batchSize: 1_000_000,
    maxQueueSize: 10_000_000,
    maxQueueBytes: 2 ** 31,
    tracesPerMinute: 0,
  });

  // Span start+end inside one long-lived trace (not sent while measuring).
  const holder = client.startTrace("bench-holder");
  const spanCost = await measure(() => holder.startSpan("s", { kind: "TOOL" }).end(), { rounds: 300, batch: 200 });
  rows.push({
    name: "core: span start+end (trace.startSpan)",
    medianUs: r2(spanCost.medianUs),
    p95Us: r2(spanCost.p95Us),
    cpuUs: r2(spanCost.cpuUs),
    target: "< 5 µs median",
  });

  const ctxCost = await measure(() => client.startTrace("t", {}, () => startSpan("s", { kind: "TOOL" }, () => 1)), {
    rounds: 200,
    batch: 100,
  });
  rows.push({
    name: "core: startTrace(fn) + startSpan(fn) (context-aware, queued)",
    medianUs: r2(ctxCost.medianUs),
    p95Us: r2(ctxCost.p95Us),
    cpuUs: r2(ctxCost.cpuUs),
  });

  // Finishing a 10-span trace whose spans (with small I/O) have ended: `end()` alone (what the caller
  // waits for), and `end()` plus all serialisation into the transport queue (spans and trace; drained
  // synchronously here by `stats()`, normally on the next turn of the event loop).
  const input = { messages: [{ role: "user", content: "What is the weather in Paris today?" }] };
  const output = { messages: [{ role: "assistant", content: "Sunny, 21°C." }] };
  const endOnly: number[] = [];
  const withSerialisation: number[] = [];
  for (let round = 0; round < 6000; round++) {
    const t = client.startTrace("ten", { input, userId: "u1", sessionId: "s1" });
    for (let i = 0; i < 10; i++) {
      t.startSpan(`span-${i}`, { kind: "LLM", input, model: "gpt-4o" })
        .setTokenUsage({ prompt_tokens: 12, completion_tokens: 7 })
        .end({ output });
    }
    const t0 = performance.now();
    t.end({ output });
    const t1 = performance.now();
    client.stats();
    const t2 = performance.now();
    endOnly.push((t1 - t0) * 1000);
    withSerialisation.push((t2 - t0) * 1000);
  }
  for (const [label, samples, target] of [
    ["core: finish a 10-span trace (end(), on the caller's path)", endOnly, "< 50 µs median"],
    [
      "core: finish a 10-span trace incl. serialising it and its spans into the queue",
      withSerialisation,
      "< 50 µs median",
    ],
  ] as const) {
    const s = samples.slice(1000).sort((a, b) => a - b);
    rows.push({
      name: label,
      medianUs: r2(s[Math.floor(s.length / 2)]),
      p95Us: r2(s[Math.floor(s.length * 0.95)]),
      target,
    });
  }

  // Sampling: a 10-span trace from its start to its end, including the deferred work after it (drained by
  // `stats()`), when sampleRate leaves it out (nothing serialised) and when it is kept (serialised into the queue).
  // Two more clients, measured alternately; the kept traces are not delivered.
  const sampling = { ...standIn.clientOptions, flushIntervalMs: 3_600_000, batchSize: 1_000_000, tracesPerMinute: 0 };
  const out = new PandaProbe({ ...sampling, sampleRate: 0, maxQueueSize: 10_000_000, maxQueueBytes: 2 ** 31 });
  const kept = new PandaProbe({ ...sampling, sampleRate: 1, maxQueueSize: 10_000_000, maxQueueBytes: 2 ** 31 });
  const samples = { out: [] as number[], kept: [] as number[] };
  for (let round = 0; round < 6000; round++) {
    for (const [c, list] of [
      [out, samples.out],
      [kept, samples.kept],
    ] as const) {
      const t0 = performance.now();
      const t = c.startTrace("ten", { input, userId: "u1", sessionId: `s${round}` });
      for (let i = 0; i < 10; i++) {
        t.startSpan(`span-${i}`, { kind: "LLM", input, model: "gpt-4o" })
          .setTokenUsage({ prompt_tokens: 12, completion_tokens: 7 })
          .end({ output });
      }
      t.end({ output });
      c.stats();
      list.push((performance.now() - t0) * 1000);
    }
  }
  const med = (xs: number[]) => {
    const s = xs.slice(1000).sort((a, b) => a - b);
    return { median: r2(s[Math.floor(s.length / 2)]), p95: r2(s[Math.floor(s.length * 0.95)]) };
  };
  const o = med(samples.out);
  const k = med(samples.kept);
  rows.push(
    {
      name: "core: a 10-span trace sampled out (sampleRate 0), start to end incl. its deferred work",
      medianUs: o.median,
      p95Us: o.p95,
      note: `${Math.round((o.median / k.median) * 100)} % of a kept one`,
    },
    {
      name: "core: the same trace kept, start to end incl. serialising it into the queue",
      medianUs: k.median,
      p95Us: k.p95,
    },
  );
  await out.shutdown({ timeoutMs: 0 });
  await kept.shutdown({ timeoutMs: 0 });

  // Delivery throughput: flush everything queued above to the stand-in over HTTP.
  const queued = client.stats().pending;
  const t0 = performance.now();
  const res = await client.flush({ timeoutMs: 120_000 });
  const secs = (performance.now() - t0) / 1000;
  rows.push({
    name: "core: delivery to the stand-in (HTTP, concurrency 4)",
    medianUs: r2((secs * 1e6) / Math.max(1, res.sent)),
    p95Us: NaN,
    note: `${Math.round(res.sent / secs)} traces/s (${res.sent} of ${queued} traces of 10 spans delivered, ${res.failed} failed)`,
  });
  await client.shutdown();
  await standIn.close();
  return rows;
}
