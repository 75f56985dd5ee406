/**
 * Sampling against the stand-in: `sampleRate` keeps whole conversations (one answer per session id, the same in every
 * process), errors are always kept (the decision is final when the trace ends), scores follow their trace, and a
 * sampled-out trace is recorded cheaply (its spans are never serialised).
 */
import { afterEach, describe, expect, it } from "vitest";
import type { SamplingInfo } from "../src/index.js";
import { createIntegration, logger } from "../src/integration/index.js";
import { unitHash } from "../src/utils/hash.js";
import type { PandaProbe, PandaProbeErrorInfo, TransportStats } from "../src/index.js";
import { clientFor, startStandIn, type StandIn } from "./helpers.js";

let standIn: StandIn | undefined;
const clients: PandaProbe[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.shutdown({ timeoutMs: 100 });
  await standIn?.close();
  standIn = undefined;
});

async function setup(options: Parameters<typeof clientFor>[1] = {}) {
  standIn = await startStandIn({ traceRateLimit: false, defaultRateLimit: false });
  const made = clientFor(standIn, options);
  clients.push(made.client);
  return { ...made, standIn };
}

/** Every item accepted is sent, failed, dropped or pending, and the reasons add up. */
function expectBalanced(stats: TransportStats): void {
  expect(stats.sent + stats.failed + stats.dropped + stats.pending).toBe(stats.accepted);
  const sum = (o: Partial<Record<string, number>>) => Object.values(o).reduce((a, b) => a! + b!, 0);
  expect(sum(stats.droppedByReason)).toBe(stats.dropped);
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("the hash a conversation is sampled by", () => {
  it("is FNV-1a over the UTF-8 bytes, finished with fmix32: these values come from an independent implementation", () => {
    // Computed in Python: fmix32(fnv1a_32(s.encode("utf-8"))) for each string.
    const vectors: Array<[string, number]> = [
      ["", 2872998923],
      ["session-1", 599268235],
      ["conversation-42", 3228226039],
      ["ünïcødé 💬", 3552711827],
      ["6f1c2a3e-0000-4000-8000-000000000000", 4240069787],
    ];
    for (const [text, hash] of vectors) expect(unitHash(text) * 2 ** 32).toBe(hash);
    // A lone surrogate hashes as U+FFFD, as a UTF-8 encoder writes it.
    expect(unitHash("a\ud800b")).toBe(unitHash("a\ufffdb"));
  });
});

describe("sampleRate: 0.3 with 1,000 conversations of 5 traces", () => {
  it("keeps every conversation whole or not at all (0.3 ± 0.05 of them), every trace with an error, and the scores of kept traces only", async () => {
    const { client, errors, standIn } = await setup({ sampleRate: 0.3, maxQueueSize: 20_000, batchSize: 100 });
    const failing = new Set<string>();
    const scoredEarly: string[] = [];
    const firstTurns: string[] = [];
    for (let c = 0; c < 1000; c++) {
      const sessionId = `conversation-${c}`;
      for (let turn = 0; turn < 5; turn++) {
        const n = c * 5 + turn;
        const t = client.startTrace(`turn-${turn}`, { sessionId, userId: `user-${c % 7}`, input: { n } });
        if (turn === 0) firstTurns.push(t.id);
        const llm = t.startSpan("llm", { kind: "LLM", input: { messages: [{ role: "user", content: `${n}` }] } });
        // About 2.7 % of the traces fail: half by a span's error, half by the trace's status.
        if (n % 37 === 0) {
          failing.add(t.id);
          llm.end({ error: new Error("provider down") });
        } else llm.end({ output: { messages: [{ role: "assistant", content: "ok" }] } });
        if (n % 74 === 37) t.setError(new Error("turn failed"));
        // A score given while the trace is still open waits for the sampling decision.
        if (turn === 4) {
          client.score({ traceId: t.id, name: "early", value: 1 });
          scoredEarly.push(t.id);
        }
        t.end({ output: "answer" });
      }
      if (c % 100 === 99) await nextTurn();
    }
    const first = await client.flush({ timeoutMs: 60_000 });
    // A score given long after its trace was decided (user feedback).
    for (const id of firstTurns) client.score(id, "late", 0.5);
    const second = await client.flush({ timeoutMs: 60_000 });

    const stored = standIn.traces();
    const byConversation = new Map<string, typeof stored>();
    for (const t of stored) {
      const list = byConversation.get(t.session_id!) ?? [];
      list.push(t);
      byConversation.set(t.session_id!, list);
    }
    let kept = 0;
    for (let c = 0; c < 1000; c++) {
      const list = byConversation.get(`conversation-${c}`) ?? [];
      if (list.length === 5) {
        kept++;
        expect(list.map((t) => t.spans.length)).toEqual([1, 1, 1, 1, 1]);
      } else {
        // Sampled out: only its traces with an error arrived.
        for (const t of list) expect(failing.has(t.trace_id)).toBe(true);
      }
    }
    expect(kept / 1000).toBeGreaterThanOrEqual(0.25);
    expect(kept / 1000).toBeLessThanOrEqual(0.35);
    // Every trace with an error arrived, with its spans.
    const storedIds = new Set(stored.map((t) => t.trace_id));
    for (const id of failing) expect(storedIds.has(id)).toBe(true);
    const withError = stored.filter((t) => failing.has(t.trace_id));
    for (const t of withError) expect(t.spans.map((s) => s.status)).toContain("ERROR");
    expect(withError.length).toBe(failing.size);
    expect(failing.size).toBeGreaterThan(100);

    // Scores of kept traces arrived (given before and after the decision); those of sampled-out traces were dropped.
    const scored = [...scoredEarly, ...firstTurns];
    const scores = standIn.scores();
    expect(scores.map((s) => s.trace_id).sort()).toEqual(scored.filter((id) => storedIds.has(id)).sort());
    const droppedScores = scored.filter((id) => !storedIds.has(id)).length;
    expect(droppedScores).toBeGreaterThan(1000);

    const stats = client.stats();
    expect(stats.droppedByReason).toEqual({ sampled_out: 5000 - stored.length + droppedScores });
    expect(stats.failed).toBe(0);
    expectBalanced(stats);
    // Sampling out is what was asked for: not a failure, not reported.
    expect(first.ok && second.ok).toBe(true);
    expect(errors.filter((e) => e.final)).toEqual([]);
    expect(standIn.schemaErrors()).toEqual([]);
  }, 60_000);

  it("gives a conversation the same answer in every client (process), whoever records its turns", async () => {
    const { standIn } = await setup();
    const a = clientFor(standIn, { sampleRate: 0.5 }).client;
    const b = clientFor(standIn, { sampleRate: 0.5 }).client;
    clients.push(a, b);
    for (let c = 0; c < 40; c++)
      for (const client of [a, b]) client.startTrace("turn", { sessionId: `shared-${c}` }).end();
    await Promise.all([a.flush(), b.flush()]);
    const counts = new Map<string, number>();
    for (const t of standIn.traces()) counts.set(t.session_id!, (counts.get(t.session_id!) ?? 0) + 1);
    expect([...counts.values()].every((n) => n === 2)).toBe(true);
    expect(counts.size).toBeGreaterThan(5);
    expect(counts.size).toBeLessThan(35);
    // Without a session id, each trace is decided by its own id.
    for (let i = 0; i < 40; i++) a.startTrace("alone").end();
    await a.flush();
    const alone = standIn.traces((t) => t.name === "alone").length;
    expect(alone).toBeGreaterThan(5);
    expect(alone).toBeLessThan(35);
  });
});

describe("errors are always kept: the decision is final when the trace ends", () => {
  it("a sampled-out trace is recorded without serialising anything, unless it turns out to have an error", async () => {
    let masked = 0;
    const { client, errors, standIn } = await setup({
      sampleRate: 0,
      mask: (value) => {
        masked++;
        return value;
      },
    });
    // Routine: nothing is serialised (the mask runs on every value serialised), nothing sent.
    const routine = client.startTrace("routine", { input: "q" });
    for (let i = 0; i < 3; i++) routine.startSpan(`step-${i}`, { input: { i } }).end({ output: i });
    routine.end({ output: "a" });
    expect(await client.flush()).toMatchObject({ ok: true, sent: 0, dropped: 1 });
    expect(masked).toBe(0);

    // A span's error, in the middle: the whole trace arrives, spans before and after included.
    const spanError = client.startTrace("span-error", { input: "q" });
    spanError.startSpan("before", { input: 1 }).end({ output: 1 });
    spanError.startSpan("fails").end({ error: new Error("tool broke") });
    spanError.startSpan("after", { input: 2 }).end({ output: 2 });
    spanError.end();
    // The trace's own status, set at the end.
    const traceError = client.startTrace("trace-error");
    traceError.startSpan("only", { input: 3 }).end({ output: 3 });
    traceError.setStatus("ERROR").end();
    // An error set by the span's own finalisation (an integration's deferred extraction).
    const finalizeError = client.startTrace("finalize-error");
    finalizeError.startSpan("stream").end({ finalize: (s) => s.setError(new Error("stream broke")) });
    finalizeError.end();
    // A span that ends, with an error, after its trace.
    const late = client.startTrace("late-error");
    const open = late.startSpan("still-open");
    late.end();
    open.end({ error: "late failure" });
    // A standalone span whose callback throws.
    expect(() =>
      client.withTrace("callback-throws", () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(await client.flush()).toMatchObject({ ok: true, sent: 5, dropped: 0 });
    const byName = Object.fromEntries(standIn.traces().map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual([
      "callback-throws",
      "finalize-error",
      "late-error",
      "span-error",
      "trace-error",
    ]);
    expect(byName["span-error"]!.spans.map((s) => [s.name, s.status, s.output])).toEqual([
      ["before", "OK", 1],
      ["fails", "ERROR", null],
      ["after", "OK", 2],
    ]);
    expect(byName["span-error"]!.input).toBe("q");
    expect(byName["trace-error"]).toMatchObject({ status: "ERROR" });
    expect(byName["trace-error"]!.spans[0]).toMatchObject({ name: "only", input: 3, output: 3 });
    expect(byName["finalize-error"]!.spans[0]).toMatchObject({ status: "ERROR", error: "stream broke" });
    expect(byName["late-error"]!.spans[0]).toMatchObject({ status: "ERROR" });
    expect(byName["callback-throws"]).toMatchObject({ status: "ERROR" });
    expect(client.stats().droppedByReason).toEqual({ sampled_out: 1 });
    expect(errors.filter((e) => e.final)).toEqual([]);
    expect(standIn.schemaErrors()).toEqual([]);
  });

  it("once a span ends with an error, the trace is recorded as a kept one: spans are captured as they end", async () => {
    const { client, standIn } = await setup({ sampleRate: 0 });
    const t = client.startTrace("agent");
    const before = { step: "before" };
    t.startSpan("plan", { input: before }).end();
    t.startSpan("tool").end({ error: new Error("tool broke") });
    const after = { step: "after" };
    t.startSpan("answer", { input: after }).end();
    await nextTurn(); // the next turn of the event loop captures what has ended
    before.step = "changed later";
    after.step = "changed later";
    t.end();
    await client.flush();
    const [stored] = standIn.traces();
    expect(stored!.spans.map((s) => s.input)).toEqual([{ step: "before" }, null, { step: "after" }]);
  });

  it("a trace ended with a span still open does not hold flush() when it is sampled out", async () => {
    const { client, standIn } = await setup({ sampleRate: 0 });
    const t = client.startTrace("stream");
    const open = t.startSpan("reading");
    t.end();
    open.end();
    const res = await client.flush({ timeoutMs: 5000 });
    expect(res).toMatchObject({ ok: true, timedOut: false, pending: 0, dropped: 1 });
    expect(standIn.traces()).toEqual([]);
  });

  it("integrations need nothing: a failed call of the integration kit is delivered, a successful one left out", async () => {
    const { client, standIn } = await setup({ sampleRate: 0 });
    const kit = createIntegration("test", { client });
    kit.startCall({ name: "ok-call", kind: "LLM", input: "hi" })!.end({ output: "hello" });
    kit.startCall({ name: "failed-call", kind: "LLM", input: "hi" })!.end({ error: new Error("429 from provider") });
    await client.flush();
    const stored = standIn.traces();
    expect(stored.map((t) => t.name)).toEqual(["failed-call"]);
    expect(stored[0]).toMatchObject({ status: "ERROR", input: "hi" });
    expect(client.stats().droppedByReason).toEqual({ sampled_out: 1 });
  });
});

describe("sampler(info)", () => {
  it("decides when the trace ends with what is known then; errors are kept whatever it answers", async () => {
    const seen: SamplingInfo[] = [];
    const { client, standIn } = await setup({
      sampleRate: 0,
      environment: "prod",
      sampler: (info) => {
        seen.push(info);
        if (info.name === "checkout") return true;
        if (info.metadata?.debug === true) return 1;
        return false;
      },
    });
    const checkout = client.startTrace("checkout", { userId: "u1", sessionId: "s1", tags: ["pay"] });
    checkout.startSpan("charge", { input: { amount: 3 } }).end({ output: "charged" });
    checkout.end();
    const renamed = client.startTrace("search");
    renamed.setMetadata({ debug: true }).end();
    client.startTrace("browse").end();
    const failed = client.startTrace("browse-failing");
    failed.startSpan("db").end({ error: "timeout" });
    failed.end();
    expect(await client.flush()).toMatchObject({ ok: true, sent: 3, dropped: 1 });
    expect(
      standIn
        .traces()
        .map((t) => t.name)
        .sort(),
    ).toEqual(["browse-failing", "checkout", "search"]);
    // Spans of a trace sampleRate left out, kept by the sampler at the end, arrive too.
    expect(standIn.traces((t) => t.name === "checkout")[0]!.spans[0]).toMatchObject({
      name: "charge",
      input: { amount: 3 },
      output: "charged",
    });
    const info = seen.find((i) => i.name === "checkout")!;
    expect(info).toMatchObject({
      traceId: checkout.id,
      userId: "u1",
      sessionId: "s1",
      status: "COMPLETED",
      hasError: false,
      tags: ["pay"],
      environment: "prod",
    });
    expect(info.durationMs).toBeGreaterThanOrEqual(0);
    expect(seen.find((i) => i.name === "browse-failing")).toMatchObject({ hasError: true, status: "COMPLETED" });
  });

  it("a rate it answers is applied by the session's hash: a conversation gets one answer", async () => {
    const { client, standIn } = await setup({ sampler: () => 0.5 });
    for (let c = 0; c < 30; c++)
      for (let turn = 0; turn < 3; turn++) client.startTrace("t", { sessionId: `c${c}` }).end();
    await client.flush();
    const counts = new Map<string, number>();
    for (const t of standIn.traces()) counts.set(t.session_id!, (counts.get(t.session_id!) ?? 0) + 1);
    expect([...counts.values()].every((n) => n === 3)).toBe(true);
    for (const [session] of counts) expect(unitHash(session)).toBeLessThan(0.5);
    expect(counts.size).toBe(Array.from({ length: 30 }, (_, c) => unitHash(`c${c}`) < 0.5).filter(Boolean).length);
  });

  it("one that throws, or answers nonsense, leaves traces to sampleRate, reported once", async () => {
    const lines: string[] = [];
    const prev = logger.setSink({
      debug() {},
      warn: (m: string) => lines.push(m),
      error: (m: string) => lines.push(m),
    });
    try {
      const throwing = await setup({
        sampleRate: 1,
        sampler: () => {
          throw new Error("sampler bug");
        },
      });
      for (let i = 0; i < 5; i++) throwing.client.startTrace("kept").end();
      expect(await throwing.client.flush()).toMatchObject({ ok: true, sent: 5 });
      const reports = throwing.errors.filter((e: PandaProbeErrorInfo) => /sampler/.test(e.message));
      expect(reports).toHaveLength(1);
      expect(reports[0]!.message).toContain("sampler bug");
      expect(lines.filter((l) => /sampler/.test(l))).toHaveLength(1);

      const nonsense = clientFor(standIn!, { sampleRate: 0, sampler: (() => "yes") as never });
      clients.push(nonsense.client);
      for (let i = 0; i < 5; i++) nonsense.client.startTrace("left-out").end();
      expect(await nonsense.client.flush()).toMatchObject({ ok: true, sent: 0, dropped: 5 });
      expect(lines.filter((l) => /sampler answered "yes"/.test(l))).toHaveLength(1);
    } finally {
      logger.setSink(prev);
    }
  });
});
