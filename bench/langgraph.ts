/**
 * LangGraph handler cost: a 3-node graph (one fake chat model call) invoked without a handler,
 * with a no-op awaited LangChain handler (LangChain's own callback dispatch), and with
 * `LangGraphCallbackHandler` delivering to a stand-in backend that runs in a child process (so only
 * our side of serialisation and HTTP delivery is counted). Run with `pnpm bench`, after a build.
 */
import { LangGraphCallbackHandler } from "../packages/langgraph/dist/index.js";
import { buildBenchGraph } from "../packages/langgraph/test/support/bench-graph.js";
import { replayer } from "../packages/langgraph/test/support/callback-replay.js";
import { measureCallbackHandler } from "./callback-handler.js";
import { cpuPerCall, r2 } from "./lib.js";
import type { BenchRow } from "./lib.js";

export default async function run(): Promise<BenchRow[]> {
  const graph = buildBenchGraph();
  const input = { question: "what is six times seven?" };
  let total = 0;
  const { bare, withNoop, traced, alone, calls, cpu, received } = await measureCallbackHandler(
    (options) => graph.invoke(input, options),
    (options) => new LangGraphCallbackHandler(options),
    async ({ client, handler, calls }) => {
      // Our total CPU per traced invoke: the handler plus serialisation and HTTP delivery to the
      // stand-in (child process, so its own request handling is not counted).
      const n = 2_000;
      const replay = replayer(calls, handler);
      for (let i = 0; i < 200; i++) replay();
      await client.flush({ timeoutMs: 60_000 });
      total = await cpuPerCall(
        n,
        async () => replay(),
        () => client.flush({ timeoutMs: 60_000 }),
      );
    },
  );

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
