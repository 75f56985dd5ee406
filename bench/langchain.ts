/**
 * `LangChainCallbackHandler` cost beside LangChain alone (its own floor): an LCEL chain (prompt | fake chat model |
 * parser) invoked without a handler, with a no-op awaited LangChain handler (LangChain's own callback dispatch),
 * and with `LangChainCallbackHandler` delivering to a stand-in backend in a child process (so only our side of
 * serialisation and HTTP delivery is counted); the handler alone from replayed callbacks. Each figure is also
 * stated as a ratio to the chain with no handler. Run with `pnpm bench langchain`, after a build.
 */
import { LangChainCallbackHandler } from "../packages/langgraph/dist/index.js";
import { buildBenchChain } from "../packages/langgraph/test/support/bench-chain.js";
import { measureCallbackHandler } from "./callback-handler.js";
import { r2 } from "./lib.js";
import type { BenchRow } from "./lib.js";

export default async function run(): Promise<BenchRow[]> {
  const chain = buildBenchChain();
  const input = { question: "what is six times seven?" };
  const { bare, withNoop, traced, alone, calls, cpu, received } = await measureCallbackHandler(
    (options) => chain.invoke(input, options),
    (options) => new LangChainCallbackHandler(options),
  );

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
