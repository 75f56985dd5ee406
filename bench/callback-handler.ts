/**
 * The method `bench/langchain.ts` and `bench/langgraph.ts` share: one runnable invoked with no handler, with a no-op
 * awaited LangChain handler (LangChain's own callback dispatch) and with our handler delivering to a stand-in in a
 * child process (so only our side of serialisation and HTTP delivery is counted); the handler alone from replayed
 * callbacks; then end-to-end CPU, interleaved so machine noise hits every variant alike.
 */
import { PandaProbe } from "../packages/core/dist/index.js";
import { NoopHandler, recordCallbacks, replayer } from "../packages/langgraph/test/support/callback-replay.js";
import { cpuPerCall, measure, startChildStandIn } from "./lib.js";

/** LangChain's `Handler[]`, as the replay support takes it. */
type Callbacks = Parameters<Parameters<typeof recordCallbacks>[0]>[0];
type Handler = Callbacks[number];
type Invoke = (options?: { callbacks: Callbacks }) => Promise<unknown>;
type Calls = Awaited<ReturnType<typeof recordCallbacks>>;

export async function measureCallbackHandler(
  invoke: Invoke,
  makeHandler: (options: { client: PandaProbe; userId?: string; sessionId?: string }) => Handler,
  /** Extra measurements with the delivering client and handler, before the end-to-end CPU rounds. */
  extra?: (ctx: { client: PandaProbe; handler: Handler; calls: Calls }) => Promise<void>,
) {
  const opts = { rounds: 100, batch: 20, warmup: 400, isAsync: true };
  const standIn = await startChildStandIn();
  const client = new PandaProbe({
    ...standIn.options,
    flushIntervalMs: 200,
    maxQueueSize: 100_000,
    tracesPerMinute: 0,
  });
  const handler = makeHandler({ client, userId: "bench", sessionId: "bench" });
  const noop = new NoopHandler();
  const bareOp = () => invoke();
  const noopOp = () => invoke({ callbacks: [noop] });
  const tracedOp = () => invoke({ callbacks: [handler] });

  // End to end (wall time; LangChain's dispatch of any awaited handler is part of it).
  const bare = await measure(bareOp, opts);
  const withNoop = await measure(noopOp, opts);
  const traced = await measure(tracedOp, opts);
  await client.flush({ timeoutMs: 60_000 });

  // The handler alone: the callbacks of one invoke replayed into it (span building, run bookkeeping, trace
  // assembly and serialisation into core's queue; nothing sent).
  const calls = await recordCallbacks((callbacks) => invoke({ callbacks }));
  const quiet = new PandaProbe({
    ...standIn.options,
    flushIntervalMs: 3_600_000,
    maxQueueSize: 1_000_000,
    maxQueueBytes: 4_000_000_000,
    tracesPerMinute: 0,
  });
  const alone = await measure(replayer(calls, makeHandler({ client: quiet })), {
    rounds: 100,
    batch: 20,
    warmup: 500,
  });
  await quiet.shutdown({ timeoutMs: 60_000 });

  await extra?.({ client, handler, calls });

  const cpu = { bare: 0, noop: 0, traced: 0 };
  for (let i = 0; i < 3; i++) {
    cpu.bare += (await cpuPerCall(300, bareOp)) / 3;
    cpu.noop += (await cpuPerCall(300, noopOp)) / 3;
    cpu.traced += (await cpuPerCall(300, tracedOp, () => client.flush({ timeoutMs: 60_000 }))) / 3;
  }
  const received = await standIn.count();
  await client.shutdown();
  await standIn.close();
  return { bare, withNoop, traced, alone, calls, cpu, received };
}
