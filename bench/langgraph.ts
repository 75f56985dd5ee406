/**
 * LangGraph handler cost: a 3-node graph (one fake chat model call) invoked without a handler,
 * with a no-op awaited LangChain handler (LangChain's own callback dispatch), and with
 * `LangGraphCallbackHandler` delivering to a stand-in backend that runs in a child process (so only
 * our side of serialisation and HTTP delivery is counted). Run with `pnpm bench`, after a build.
 */
import { PandaProbe } from "../packages/core/dist/index.js";
import { LangGraphCallbackHandler } from "../packages/langgraph/dist/index.js";
import { buildBenchGraph } from "../packages/langgraph/test/support/bench-graph.js";
import { NoopHandler, recordCallbacks, replayer } from "../packages/langgraph/test/support/callback-replay.js";
import { cpuPerCall, measure, r2, startChildStandIn } from "./lib.js";
import type { BenchRow } from "./lib.js";

export default async function run(): Promise<BenchRow[]> {
  const graph = buildBenchGraph();
  const input = { question: "what is six times seven?" };
  const opts = { rounds: 100, batch: 20, warmup: 400, isAsync: true };
  const standIn = await startChildStandIn();
  const client = new PandaProbe({
    ...standIn.options,
    flushIntervalMs: 200,
    maxQueueSize: 100_000,
    tracesPerMinute: 0,
  });
  const handler = new LangGraphCallbackHandler({ client, userId: "bench", sessionId: "bench" });
  const noop = new NoopHandler();
  const bareOp = () => graph.invoke(input);
  const noopOp = () => graph.invoke(input, { callbacks: [noop] });
  const tracedOp = () => graph.invoke(input, { callbacks: [handler] });

  // End to end (wall time; LangChain's dispatch of any awaited handler is part of it).
  const bare = await measure(bareOp, opts);
  const withNoop = await measure(noopOp, opts);
  const traced = await measure(tracedOp, opts);
  await client.flush({ timeoutMs: 60_000 });

  // The handler alone: the callbacks of one invoke replayed into it (span building, run
  // bookkeeping, trace assembly and serialisation into core's queue; nothing sent).
  const calls = await recordCallbacks((callbacks) => graph.invoke(input, { callbacks }));
  const quiet = new PandaProbe({
    ...standIn.options,
    flushIntervalMs: 3_600_000,
    maxQueueSize: 1_000_000,
    maxQueueBytes: 4_000_000_000,
    tracesPerMinute: 0,
  });
  const alone = await measure(replayer(calls, new LangGraphCallbackHandler({ client: quiet })), {
    rounds: 100,
    batch: 20,
    warmup: 500,
  });
  await quiet.shutdown({ timeoutMs: 60_000 });

  // Our total CPU per traced invoke: the handler plus serialisation and HTTP delivery to the
  // stand-in (child process, so its own request handling is not counted).
  const n = 2_000;
  const replay = replayer(calls, handler);
  for (let i = 0; i < 200; i++) replay();
  await client.flush({ timeoutMs: 60_000 });
  const total = await cpuPerCall(
    n,
    async () => replay(),
    () => client.flush({ timeoutMs: 60_000 }),
  );

  // End-to-end CPU, interleaved so machine noise hits every variant alike.
  const cpu = { bare: 0, noop: 0, traced: 0 };
  for (let i = 0; i < 3; i++) {
    cpu.bare += (await cpuPerCall(300, bareOp)) / 3;
    cpu.noop += (await cpuPerCall(300, noopOp)) / 3;
    cpu.traced += (await cpuPerCall(300, tracedOp, () => client.flush({ timeoutMs: 60_000 }))) / 3;
  }
  const received = await standIn.count();
  await client.shutdown();
  await standIn.close();

  return [
    {
      name: "langgraph: 3-node graph invoke, no handler",
      medianUs: r2(bare.medianUs),
      p95Us: r2(bare.p95Us),
      cpuUs: r2(cpu.bare),
      note: "baseline (fake chat model)",
    },
    {
      name: "langgraph: same, no-op awaited LangChain handler",
      medianUs: r2(withNoop.medianUs),
      p95Us: r2(withNoop.p95Us),
      cpuUs: r2(cpu.noop),
      note: `LangChain's own dispatch of any awaited handler: +${r2(withNoop.medianUs - bare.medianUs)} µs median, +${r2(cpu.noop - cpu.bare)} µs CPU`,
    },
    {
      name: "langgraph: same, with LangGraphCallbackHandler (delivering)",
      medianUs: r2(traced.medianUs),
      p95Us: r2(traced.p95Us),
      cpuUs: r2(cpu.traced),
      note: `vs no-op handler: +${r2(traced.medianUs - withNoop.medianUs)} µs median, +${r2(cpu.traced - cpu.noop)} µs CPU (delivery included)`,
    },
    {
      name: "langgraph: handler alone per invoke (replayed callbacks, queued not sent)",
      medianUs: r2(alone.medianUs),
      p95Us: r2(alone.p95Us),
      cpuUs: r2(alone.cpuUs),
      target: "≤ 100 µs added (median)",
      note: `${calls.length} callbacks per invoke`,
    },
    {
      name: "langgraph: handler + serialisation + delivery, CPU per invoke",
      medianUs: r2(total),
      p95Us: r2(total),
      cpuUs: r2(total),
      target: "≤ 400 µs CPU",
      note: `stand-in in a child process received ${received.traces} traces, ${received.schemaErrors} schema errors`,
    },
  ];
}
