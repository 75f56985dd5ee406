/**
 * `LangChainCallbackHandler` cost beside LangChain alone (its own floor): an LCEL chain (prompt | fake chat model |
 * parser) invoked without a handler, with a no-op awaited LangChain handler (LangChain's own callback dispatch),
 * and with `LangChainCallbackHandler` delivering to a stand-in backend in a child process (so only our side of
 * serialisation and HTTP delivery is counted); the handler alone from replayed callbacks. Each figure is also
 * stated as a ratio to the chain with no handler. Run with `pnpm bench langchain`, after a build.
 */
import { PandaProbe } from "../packages/core/dist/index.js";
import { LangChainCallbackHandler } from "../packages/langgraph/dist/index.js";
import { buildBenchChain } from "../packages/langgraph/test/support/bench-chain.js";
import { NoopHandler, recordCallbacks, replayer } from "../packages/langgraph/test/support/callback-replay.js";
import { cpuPerCall, measure, r2, startChildStandIn } from "./lib.js";
import type { BenchRow } from "./lib.js";

export default async function run(): Promise<BenchRow[]> {
  const chain = buildBenchChain();
  const input = { question: "what is six times seven?" };
  const opts = { rounds: 100, batch: 20, warmup: 400, isAsync: true };
  const standIn = await startChildStandIn();
  const client = new PandaProbe({
    ...standIn.options,
    flushIntervalMs: 200,
    maxQueueSize: 100_000,
    tracesPerMinute: 0,
  });
  const handler = new LangChainCallbackHandler({ client, userId: "bench", sessionId: "bench" });
  const noop = new NoopHandler();
  const bareOp = () => chain.invoke(input);
  const noopOp = () => chain.invoke(input, { callbacks: [noop] });
  const tracedOp = () => chain.invoke(input, { callbacks: [handler] });

  // End to end (wall time; LangChain's dispatch of any awaited handler is part of it).
  const bare = await measure(bareOp, opts);
  const withNoop = await measure(noopOp, opts);
  const traced = await measure(tracedOp, opts);
  await client.flush({ timeoutMs: 60_000 });

  // The handler alone: the callbacks of one invoke replayed into it (span building, run bookkeeping, trace
  // assembly and serialisation into core's queue; nothing sent).
  const calls = await recordCallbacks((callbacks) => chain.invoke(input, { callbacks }));
  const quiet = new PandaProbe({
    ...standIn.options,
    flushIntervalMs: 3_600_000,
    maxQueueSize: 1_000_000,
    maxQueueBytes: 4_000_000_000,
    tracesPerMinute: 0,
  });
  const alone = await measure(replayer(calls, new LangChainCallbackHandler({ client: quiet })), {
    rounds: 100,
    batch: 20,
    warmup: 500,
  });
  await quiet.shutdown({ timeoutMs: 60_000 });

  // End-to-end CPU, interleaved so machine noise hits every variant alike; the traced one includes delivery.
  const cpu = { bare: 0, noop: 0, traced: 0 };
  for (let i = 0; i < 3; i++) {
    cpu.bare += (await cpuPerCall(300, bareOp)) / 3;
    cpu.noop += (await cpuPerCall(300, noopOp)) / 3;
    cpu.traced += (await cpuPerCall(300, tracedOp, () => client.flush({ timeoutMs: 60_000 }))) / 3;
  }
  const received = await standIn.count();
  await client.shutdown();
  await standIn.close();

  const ratio = (x: number, floor: number) => `${r2(x / floor)}x`;
  return [
    {
      name: "langchain: LCEL chain invoke (prompt | model | parser), no handler",
      medianUs: r2(bare.medianUs),
      p95Us: r2(bare.p95Us),
      cpuUs: r2(cpu.bare),
      note: "the floor: LangChain alone (fake chat model)",
    },
    {
      name: "langchain: same, no-op awaited LangChain handler",
      medianUs: r2(withNoop.medianUs),
      p95Us: r2(withNoop.p95Us),
      cpuUs: r2(cpu.noop),
      note: `LangChain's own dispatch of any awaited handler: ${ratio(withNoop.medianUs, bare.medianUs)} the floor's median, ${ratio(cpu.noop, cpu.bare)} its CPU`,
    },
    {
      name: "langchain: same, with LangChainCallbackHandler (delivering)",
      medianUs: r2(traced.medianUs),
      p95Us: r2(traced.p95Us),
      cpuUs: r2(cpu.traced),
      note: `${ratio(traced.medianUs, bare.medianUs)} the floor's median, ${ratio(cpu.traced, cpu.bare)} its CPU; vs the no-op handler: +${r2(traced.medianUs - withNoop.medianUs)} µs median, +${r2(cpu.traced - cpu.noop)} µs CPU (delivery included)`,
    },
    {
      name: "langchain: handler alone per invoke (replayed callbacks, queued not sent)",
      medianUs: r2(alone.medianUs),
      p95Us: r2(alone.p95Us),
      cpuUs: r2(alone.cpuUs),
      note: `${calls.length} callbacks per invoke; ${r2((100 * alone.cpuUs) / cpu.bare)}% of the floor's CPU (stand-in received ${received.traces} traces, ${received.schemaErrors} schema errors)`,
    },
  ];
}

if (/langchain\.ts$/.test(process.argv[1] ?? "")) {
  void run().then((rows) => {
    for (const row of rows) console.log(JSON.stringify(row));
  });
}
