/**
 * Work waiting to be recorded is bounded like the queue: a synchronous burst (no turn of the event loop, so nothing
 * is serialised or sent meanwhile) against a dead backend holds at most the queue's caps of unrecorded traces, and
 * every trace is accounted for. Measured in a child process of its own, with forced garbage collections, so the
 * heap figures do not depend on the test runner.
 */
import { describe, expect, it } from "vitest";
import { runModule } from "./child-process.js";

interface BurstResult {
  growth: number;
  stats: { sent: number; failed: number; dropped: number; pending: number; droppedByReason: Record<string, number> };
  afterShutdown: { sent: number; failed: number; dropped: number; pending: number };
}

/**
 * Runs `count` traces of `kb` KB (a span each) in one synchronous loop; reports heap growth and stats. `deferred`: each
 * trace is recorded by a `deferRecording` job holding its data, as an integration records a finished call.
 */
async function burst(
  count: number,
  kb: number,
  options: Record<string, unknown> = {},
  deferred = false,
): Promise<BurstResult> {
  const record = `{
      const t = client.startTrace("burst", { input });
      t.startSpan("step", { input: { i } }).end({ output: i });
      t.end();
    }`;
  const script = `
    import v8 from "node:v8";
    import vm from "node:vm";
    import { PandaProbe } from "./src/index.ts";
    import { deferRecording, logger } from "./src/integration/index.ts";
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc");
    logger.setSink({ debug() {}, warn() {}, error() {} });
    const client = new PandaProbe({
      apiKey: "k", projectName: "p", endpoint: "http://127.0.0.1:9", tracesPerMinute: 0, retryBaseMs: 60000,
      ...${JSON.stringify(options)},
    });
    const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
    const before = heap();
    for (let i = 0; i < ${count}; i++) {
      // A flat string of its own per trace (padEnd would share its filler between traces).
      const input = Buffer.alloc(${kb * 1024}, String(i % 10)).toString("latin1");
      ${deferred ? `deferRecording(() => ${record}, client);` : record}
    }
    const growth = heap() - before;
    const stats = client.stats();
    const afterShutdown = await client.shutdown({ timeoutMs: 100 });
    const total = client.stats();
    console.log(JSON.stringify({ growth, stats, afterShutdown: total }));
  `;
  const { code, stdout, stderr } = await runModule(script, { tsx: true, timeoutMs: 60_000 });
  expect(stderr).toBe("");
  expect(code).toBe(0);
  return JSON.parse(stdout) as BurstResult;
}

const MiB = 1024 * 1024;
/** What the SDK may hold beyond the data it keeps: its objects for the traces it keeps (about 1.6 KB each). */
const SMALL_CONSTANT = 4 * MiB;

describe("a synchronous burst against a dead backend", () => {
  it("20,000 traces of 10 KB: the heap reachable after the loop stays within the byte cap, every trace counted", async () => {
    const { growth, stats, afterShutdown } = await burst(20_000, 10);
    // Default caps: 1,000 traces waiting (about 10 MB of them), 32 MiB.
    expect(growth).toBeLessThan(32 * MiB + SMALL_CONSTANT);
    expect(growth).toBeLessThan(1000 * 10 * 1024 + SMALL_CONSTANT);
    expect(stats.sent + stats.failed + stats.dropped + stats.pending).toBe(20_000);
    expect(stats.droppedByReason).toEqual({ recording_overflow: 19_000 });
    expect(stats.pending).toBe(1000);
    // After shutdown nothing is pending: what it could not deliver is dropped, and counted.
    expect(afterShutdown.sent + afterShutdown.failed + afterShutdown.dropped).toBe(20_000);
    expect(afterShutdown.pending).toBe(0);
  }, 60_000);

  it("the byte cap bounds it too, whatever the burst's length: 4 MiB of 10 KB traces is about 400 of them", async () => {
    for (const count of [5_000, 50_000]) {
      const { growth, stats } = await burst(count, 10, { maxQueueBytes: 4 * MiB });
      expect(growth).toBeLessThan(4 * MiB + SMALL_CONSTANT / 2);
      expect(stats.pending).toBeGreaterThan(350);
      expect(stats.pending).toBeLessThan(420);
      expect(stats.sent + stats.failed + stats.dropped + stats.pending).toBe(count);
      expect(stats.droppedByReason).toEqual({ recording_overflow: count - stats.pending });
    }
  }, 60_000);

  it("20,000 recordings deferred by an integration, each holding 10 KB: bounded by the queue, every trace counted", async () => {
    const { growth, stats } = await burst(20_000, 10, {}, true);
    expect(growth).toBeLessThan(32 * MiB + SMALL_CONSTANT);
    expect(stats.sent + stats.failed + stats.dropped + stats.pending).toBe(20_000);
    expect(stats.pending).toBe(1000);
  }, 60_000);
});
