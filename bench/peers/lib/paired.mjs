// Paired measurement: the same operation with and without tracing, in one
// process, alternating in blocks (ABBA order) so slow drift (JIT, GC pressure,
// CPU frequency, background export work) hits both halves alike.

import { median } from "./stats.mjs";

const now = () => process.hrtime.bigint();

/**
 * @param {object} o
 * @param {number} o.n        measured operations per half
 * @param {number} o.block    operations per block before switching halves
 * @param {number} o.warmup   unmeasured operations per half, alternating
 * @param {() => Promise<unknown>} o.bare
 * @param {() => Promise<unknown>} o.traced
 * @returns {Promise<{bare: number[], traced: number[], heapPeakBytes: number}>} per-op µs
 */
export async function runPaired({ n, block, warmup, bare, traced }) {
  for (let i = 0; i < warmup; i++) {
    await bare();
    await traced();
  }
  const times = { bare: [], traced: [] };
  const ops = { bare, traced };
  let heapPeakBytes = process.memoryUsage().heapUsed;
  for (let b = 0, done = 0; done < n; b++) {
    const count = Math.min(block, n - done);
    for (const half of b % 2 === 0 ? ["bare", "traced"] : ["traced", "bare"]) {
      const op = ops[half];
      const out = times[half];
      for (let i = 0; i < count; i++) {
        const t0 = now();
        await op();
        out.push(Number(now() - t0) / 1000);
      }
    }
    done += count;
    heapPeakBytes = Math.max(heapPeakBytes, process.memoryUsage().heapUsed);
  }
  return { ...times, heapPeakBytes };
}

const cpuMs = (since) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

// Thue-Morse order: first-, second- and third-order drift cancel between halves.
const CPU_PHASES = [
  "bare",
  "traced",
  "traced",
  "bare",
  "traced",
  "bare",
  "bare",
  "traced",
  "traced",
  "bare",
  "bare",
  "traced",
  "bare",
  "traced",
  "traced",
  "bare",
];

/**
 * CPU cost per operation, traced vs bare, measured in 16 sequential phases of
 * k/8 ops (k ops per half in all). Interleaving cannot attribute background
 * export work, so here each traced phase ends with the SDK's flush(), and,
 * when the process runs with --expose-gc, every phase starts from a collected
 * heap and ends with a full collection: each side pays for its own export work
 * and garbage. The per-half estimate is the median of its 8 phases, which
 * ignores one-off events (V8 tiering up a hot function after ~10k calls costs
 * a phase a few hundred ms of compiler CPU).
 * @returns {{bareUsPerOp: number, tracedUsPerOp: number, tracedOps: number, phasesUsPerOp: object}}
 */
export async function measureCpu({ k, bare, traced, flush }) {
  const gc = globalThis.gc ?? (() => {});
  const perPhase = Math.max(1, Math.floor(k / 8));
  const phase = async (half, ops) => {
    const op = half === "bare" ? bare : traced;
    gc();
    const c0 = process.cpuUsage();
    for (let i = 0; i < ops; i++) await op();
    if (half === "traced") await flush();
    gc();
    return (cpuMs(c0) * 1000) / ops;
  };
  // Unmeasured: the first phases after the first forced GC run slower (V8
  // resizes the heap), which would bias whichever half comes first.
  await phase("bare", Math.ceil(perPhase / 2));
  await phase("traced", Math.ceil(perPhase / 2));
  const usPerOp = { bare: [], traced: [] };
  for (const half of CPU_PHASES) usPerOp[half].push(await phase(half, perPhase));
  return {
    bareUsPerOp: median(usPerOp.bare),
    tracedUsPerOp: median(usPerOp.traced),
    tracedOps: 8 * perPhase + Math.ceil(perPhase / 2), // includes the unmeasured warm-up phase
    phasesUsPerOp: { bare: usPerOp.bare.map(Math.round), traced: usPerOp.traced.map(Math.round) },
  };
}
