import { afterEach, describe, expect, it, vi } from "vitest";
import { drainDeferred } from "../src/tracing/finalizer.js";
import {
  COMMON_SECRET_PATTERNS,
  PandaProbe,
  redactStrings,
  getCurrentSessionId,
  getCurrentSpan,
  getCurrentTrace,
  getCurrentUserId,
  session,
  startInactiveSpan,
  startSpan,
  startTrace,
  trace,
  user,
  type Span,
} from "../src/index.js";
import { deferRecording, registerContextResolver, logger } from "../src/integration/index.js";
import { clientFor, startStandIn, type StandIn } from "./helpers.js";

let standIn: StandIn;
afterEach(async () => {
  await standIn?.close();
});

describe("startTrace", () => {
  it("ends COMPLETED, returns fn's value, and the trace is current inside", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    const out = client.startTrace("ok", {}, (t) => {
      expect(getCurrentTrace()).toBe(t);
      return "value";
    });
    expect(out).toBe("value");
    expect(getCurrentTrace()).toBeUndefined();
    await client.flush();
    const [t] = await standIn.waitForTraces(1);
    expect(t).toMatchObject({ name: "ok", status: "COMPLETED" });
    expect(t.ended_at).toBeTruthy();
  });

  it("marks ERROR and re-throws the same error (sync and async); returns the same promise object", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    const err = new Error("boom");
    expect(() =>
      client.startTrace("sync-fail", {}, () => {
        throw err;
      }),
    ).toThrow(err);
    const p = Promise.reject(err);
    const returned = client.startTrace("async-fail", {}, () => p);
    expect(returned).toBe(p);
    await expect(returned).rejects.toBe(err);
    await client.flush();
    const traces = await standIn.waitForTraces(2);
    for (const t of traces) expect(t).toMatchObject({ status: "ERROR", metadata: { error: "boom" } });
  });

  it("a span that ends after the trace's callback returned (a stream consumed later) is kept", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    let streamSpan: Span | undefined;
    client.startTrace("streaming", {}, (t) => {
      streamSpan = t.startSpan("stream", { kind: "LLM" });
    });
    // flush() waits (up to its timeout) for the open span; still open then: reported pending, never "ok".
    expect(await client.flush({ timeoutMs: 50 })).toMatchObject({ ok: false, timedOut: true, sent: 0, pending: 1 });
    expect(standIn.requests.filter((r) => r.path === "/traces")).toHaveLength(0);
    streamSpan!.end({ output: "done" });
    expect(await client.flush()).toMatchObject({ ok: true, sent: 1, pending: 0 });
    const [t] = await standIn.waitForTraces(1);
    expect(t.spans).toHaveLength(1);
    expect(t.spans[0]).toMatchObject({ name: "stream", status: "OK", output: "done" });
  });

  it("flush() sends a trace whose open span ends while it waits (serverless: flush while the stream finishes)", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    const t = client.startTrace("streaming");
    const span = t.startSpan("stream", { kind: "LLM" });
    t.end();
    client.startTrace("done-already").end();
    const flushing = client.flush({ timeoutMs: 5_000 });
    setTimeout(() => span.end({ output: "done" }), 20);
    expect(await flushing).toMatchObject({ ok: true, timedOut: false, sent: 2, failed: 0, pending: 0 });
    const traces = await standIn.waitForTraces(2);
    const streamed = traces.find((x) => x.name === "streaming")!;
    expect(streamed.spans).toEqual([expect.objectContaining({ name: "stream", output: "done" })]);
    // The span went inline, not as a late span.
    expect(standIn.requests.filter((r) => r.path.endsWith("/spans"))).toHaveLength(0);
  });

  it("after lateSpanTimeoutMs the trace is sent and a later span follows through /spans", async () => {
    standIn = await startStandIn({ persistDelayMs: 30 });
    const { client } = clientFor(standIn, { lateSpanTimeoutMs: 20 });
    const t = client.startTrace("slow");
    const late = t.startSpan("late");
    t.end();
    await standIn.waitForTraces(1);
    late.end({ output: "finally" });
    await client.flush();
    await standIn.waitForRequests((r) => r.path === `/traces/${t.id}/spans` && r.status === 201);
    expect(standIn.getTrace(t.id)!.spans[0]).toMatchObject({ name: "late", status: "OK", output: "finally" });
    expect(standIn.schemaErrors()).toEqual([]);
  });

  it("shutdown submits a trace still waiting for an open span", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    const t = client.startTrace("unfinished");
    t.startSpan("never-ends");
    t.end();
    await client.shutdown();
    const [stored] = await standIn.waitForTraces(1);
    expect(stored.spans[0]).toMatchObject({ name: "never-ends", status: "UNSET" });
  });
});

describe("trace(fn)", () => {
  it("records the last user message as input and the last assistant message as output", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    const chat = trace(
      async (input: { messages: Array<{ role: string; content: string }> }) => ({
        messages: [...input.messages, { role: "assistant", content: "4" }],
      }),
      { name: "chat", client, tags: ["math"] },
    );
    const result = await chat({
      messages: [
        { role: "system", content: "s" },
        { role: "user", content: "2+2?" },
      ],
    });
    expect(result.messages).toHaveLength(3);
    await client.flush();
    const [t] = await standIn.waitForTraces(1);
    expect(t).toMatchObject({
      name: "chat",
      tags: ["math"],
      input: { messages: [{ role: "user", content: "2+2?" }] },
      output: { messages: [{ role: "assistant", content: "4" }] },
    });
  });

  it("keeps plain arguments and return values, sync and async, and propagates errors", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    const add = trace((a: number, b: number) => a + b, { name: "add", client });
    expect(add(2, 3)).toBe(5);
    const fail = trace(
      async function failing() {
        throw new TypeError("nope");
      },
      { client },
    );
    await expect(fail()).rejects.toThrow(TypeError);
    expect(fail.name).toBe("failing");
    await client.flush();
    const traces = await standIn.waitForTraces(2);
    const by = Object.fromEntries(traces.map((t) => [t.name, t]));
    expect(by.add).toMatchObject({ input: [2, 3], output: 5, status: "COMPLETED" });
    expect(by.failing).toMatchObject({ status: "ERROR", metadata: { error: "nope" } });
  });
});

describe("generators (a streamed reply)", () => {
  it("trace(async function*): each step runs in the trace, which ends when the generator is done; output is the joined text", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    const seen: Array<string | undefined> = [];
    async function* reply(question: string) {
      seen.push(getCurrentTrace()?.name);
      await new Promise((r) => setTimeout(r, 1));
      yield await startSpan("retrieve", { kind: "RETRIEVER" }, async () => `About ${question}: `);
      seen.push(getCurrentTrace()?.name);
      yield "it is ";
      yield "sunny.";
    }
    const streamed = trace(reply, { name: "chat", client });
    const gen = streamed("Paris");
    expect(Object.prototype.toString.call(gen)).toBe("[object AsyncGenerator]");
    expect(gen instanceof (reply as unknown as { new (): unknown })).toBe(true);
    expect(await client.flush({ timeoutMs: 20 })).toMatchObject({ sent: 0 }); // not done: nothing sent yet
    let text = "";
    for await (const chunk of gen) text += chunk;
    expect(text).toBe("About Paris: it is sunny.");
    expect(seen).toEqual(["chat", "chat"]);
    expect(getCurrentTrace()).toBeUndefined();
    await client.flush();
    const [t] = await standIn.waitForTraces(1);
    expect(t).toMatchObject({ name: "chat", status: "COMPLETED", input: "Paris", output: "About Paris: it is sunny." });
    expect(t.spans).toEqual([expect.objectContaining({ name: "retrieve", kind: "RETRIEVER", status: "OK" })]);
  });

  it("a consumer that stops early ends the trace OK with what it got, and the generator's finally runs; a failure is ERROR", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    let cleaned = false;
    const counting = trace(
      async function* count() {
        try {
          for (let i = 0; ; i++) yield i;
        } finally {
          cleaned = true;
        }
      },
      { client },
    );
    for await (const i of counting()) if (i === 2) break;
    expect(cleaned).toBe(true);
    const failing = trace(
      async function* () {
        yield "a";
        throw new Error("upstream closed");
      },
      { client, name: "failing" },
    );
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const x of failing()) got.push(x);
      })(),
    ).rejects.toThrow("upstream closed");
    expect(got).toEqual(["a"]);
    await client.flush();
    const traces = await standIn.waitForTraces(2);
    const byName = Object.fromEntries(traces.map((t) => [t.name, t]));
    expect(byName.count).toMatchObject({ status: "COMPLETED", output: [0, 1, 2] });
    expect(byName.failing).toMatchObject({ status: "ERROR", metadata: { error: "upstream closed" } });
  });

  it("startSpan with a sync generator: the span is current in every step and ends when the generator is done", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    const inside: boolean[] = [];
    let outer: Span | undefined;
    const gen = startSpan("rows", { trace: { client } }, function* (span) {
      outer = span; // a generator's body runs from its first step on
      for (let i = 0; i < 3; i++) {
        inside.push(getCurrentSpan() === span);
        yield i;
      }
      return "done";
    });
    expect(Object.prototype.toString.call(gen)).toBe("[object Generator]");
    expect(gen.next()).toEqual({ value: 0, done: false });
    expect(outer!.ended).toBe(false);
    expect(await client.flush({ timeoutMs: 20 })).toMatchObject({ sent: 0 });
    expect([...gen]).toEqual([1, 2]);
    expect(inside).toEqual([true, true, true]);
    expect(outer!.ended).toBe(true);
    await client.flush();
    const [t] = await standIn.waitForTraces(1);
    expect(t.spans).toEqual([expect.objectContaining({ name: "rows", status: "OK" })]);
  });
});

describe("spans", () => {
  it("UNSET becomes OK, errors become ERROR with the message, setters land on the wire", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    await client.startTrace("t", {}, async () => {
      await startSpan("llm", { kind: "LLM" }, (s) => {
        s.setInput({ messages: [{ role: "user", content: "q" }] })
          .setOutput({ messages: [{ role: "assistant", content: "a" }] })
          .setModel("gpt-4o")
          .setModelParameters({ temperature: 0 })
          .setTokenUsage({ prompt_tokens: 10, completion_tokens: 5, cache_read_tokens: 2 })
          .setCost({ total: 0.01 })
          .setCompletionStartTime()
          .setMetadata({ a: 1 });
      });
      await expect(
        startSpan("tool", { kind: "TOOL" }, async () => {
          throw new Error("tool broke");
        }),
      ).rejects.toThrow("tool broke");
    });
    await client.flush();
    const [t] = await standIn.waitForTraces(1);
    const by = Object.fromEntries(t.spans.map((s) => [s.name, s]));
    expect(by.llm).toMatchObject({
      status: "OK",
      model: "gpt-4o",
      model_parameters: { temperature: 0 },
      token_usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, cache_read_tokens: 2 },
      cost: { total: 0.01 },
      metadata: { a: 1 },
    });
    expect(by.llm.completion_start_time).toBeTruthy();
    expect(by.tool).toMatchObject({ status: "ERROR", error: "tool broke" });
    expect(t.status).toBe("COMPLETED");
    expect(standIn.schemaErrors()).toEqual([]);
  });
});

describe("mask (redaction)", () => {
  it("sees every input, output and metadata of traces and spans with what it belongs to; undefined records nothing; the caller's objects stay as they were", async () => {
    standIn = await startStandIn();
    const seen: string[] = [];
    const { client } = clientFor(standIn, {
      mask: (value, target) => {
        seen.push(`${target.kind}:${target.name}:${target.field}`);
        if (target.field === "metadata" && target.kind === "span") return undefined;
        return redactStrings()(value, target);
      },
    });
    const input = { messages: [{ role: "user", content: "mail me at ada@example.com" }] };
    client.startTrace("support", { input, metadata: { ticket: "Bearer abc.def-ghi" } }, (t) => {
      t.startSpan("llm", { kind: "LLM", input, metadata: { secret: "x" } }).end({
        output: { messages: [{ role: "assistant", content: "key sk-proj-0123456789abcdefghij" }] },
      });
      t.setOutput({ messages: [{ role: "assistant", content: "done, ada@example.com" }] });
    });
    await client.flush();
    const [t] = await standIn.waitForTraces(1);
    expect(t.input).toEqual({ messages: [{ role: "user", content: "mail me at [redacted]" }] });
    expect(t.output).toEqual({ messages: [{ role: "assistant", content: "done, [redacted]" }] });
    expect(t.metadata).toEqual({ ticket: "[redacted]" });
    expect(t.spans[0].input).toEqual({ messages: [{ role: "user", content: "mail me at [redacted]" }] });
    expect(t.spans[0].output).toEqual({ messages: [{ role: "assistant", content: "key [redacted]" }] });
    expect(t.spans[0].metadata ?? {}).toEqual({});
    expect(input.messages[0].content).toBe("mail me at ada@example.com");
    expect(seen.sort()).toEqual([
      "span:llm:input",
      "span:llm:metadata",
      "span:llm:output",
      "trace:support:input",
      "trace:support:metadata",
      "trace:support:output",
    ]);
    expect(standIn.schemaErrors()).toEqual([]);
  });

  it("a mask that throws records a marker for that field, never the unmasked value, and the trace still goes out", async () => {
    standIn = await startStandIn();
    const warn = vi.fn();
    const prev = logger.setSink({ debug() {}, warn, error() {} });
    logger.resetOnce();
    try {
      const { client } = clientFor(standIn, {
        mask: (value, target) => {
          if (target.field === "input") throw new Error("mask bug");
          return value;
        },
      });
      client.startTrace("t", { input: "my password is hunter2" }, (t) => t.setOutput("fine"));
      await client.flush();
      const [t] = await standIn.waitForTraces(1);
      expect(t.input).toBe("[masked: mask failed]");
      expect(t.output).toBe("fine");
      expect(JSON.stringify(standIn.requests.map((r) => r.rawBody))).not.toContain("hunter2");
      expect(warn.mock.calls.map((c) => String(c[0])).filter((m) => /mask threw/.test(m))).toHaveLength(1);
    } finally {
      logger.setSink(prev);
    }
  });

  it("a mask that is not a function disables the client (it must never send unmasked data)", () => {
    const prev = logger.setSink({ debug() {}, warn() {}, error() {} });
    try {
      const client = new PandaProbe({ apiKey: "k", projectName: "p", mask: "emails" as unknown as () => unknown });
      expect(client.enabled).toBe(false);
      expect(client.config.disabledReason).toMatch(/mask must be a function/);
    } finally {
      logger.setSink(prev);
    }
  });

  it("redactStrings copies only what changes and takes extra patterns", () => {
    const keep = { n: 1, list: ["plain"] };
    const value = { keep, deep: [{ who: "bob@corp.io", n: 2 }], key: "AKIAABCDEFGHIJKLMNOP" };
    const out = redactStrings()(value, { kind: "span", field: "input", name: "x" }) as typeof value;
    expect(out).toEqual({ keep, deep: [{ who: "[redacted]", n: 2 }], key: "[redacted]" });
    expect(out.keep).toBe(keep);
    expect(value.deep[0].who).toBe("bob@corp.io");
    const ssn = redactStrings([...COMMON_SECRET_PATTERNS, /\b\d{3}-\d{2}-\d{4}\b/], "***");
    expect(ssn("ssn 123-45-6789, mail a@b.co", { kind: "trace", field: "input", name: "x" })).toBe("ssn ***, mail ***");
  });

  it("redactStrings' default patterns run in linear time on hostile text (a naive e-mail pattern backtracks for minutes)", () => {
    const r = redactStrings();
    const target = { kind: "span", field: "input", name: "x" } as const;
    const t0 = performance.now();
    for (const s of [
      "a".repeat(200_000),
      "a@".repeat(100_000),
      "a.".repeat(100_000),
      `${"abc.def-".repeat(25_000)}@x`,
      `${"b".repeat(100_000)}@${"c-".repeat(50_000)}`,
    ]) {
      expect(r(s, target)).toBe(s); // nothing here is an address or a key
    }
    expect(r(`${"x".repeat(100_000)} ada@example.com`, target)).toBe(`${"x".repeat(100_000)} [redacted]`);
    // Milliseconds when linear; the quadratic pattern took minutes on these inputs (a hang, not a speed question).
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});

describe("capture time", () => {
  it("records a span as it was when it ended: a reply pushed onto the same messages array is not recorded", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    const messages = [{ role: "user", content: "step 1" }];
    const t = client.startTrace("agent");
    t.startSpan("step-1", { kind: "LLM", input: { messages } }).end({ output: messages });
    messages.push({ role: "assistant", content: "same tick" });
    await new Promise((r) => setImmediate(r)); // serialised here, before any later I/O or timer
    messages[0].content = "mutated later";
    t.end();
    await client.flush();
    const [stored] = await standIn.waitForTraces(1);
    expect(stored.spans[0].input).toEqual({ messages: [{ role: "user", content: "step 1" }] });
    expect(stored.spans[0].output).toEqual([{ role: "user", content: "step 1" }]);
  });

  it("a recorded object that answers differently when read again is serialised from copies, never lost", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    let reads = 0;
    const fickle = {
      get value(): unknown {
        reads++;
        if (reads === 2) throw new Error("second read");
        return "ok";
      },
    };
    const t = client.startTrace("fickle");
    t.startSpan("s", { input: { fickle } }).end();
    t.end();
    await client.flush();
    const [stored] = await standIn.waitForTraces(1);
    expect(stored.spans[0].input).toEqual({ fickle: { value: "ok" } });
    expect(reads).toBe(3); // checked, threw while serialising, read again for the copy
    expect(standIn.schemaErrors()).toEqual([]);
  });

  it("span.end() and trace.end() do no serialisation on the caller's path; flush() finishes it", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    const t = client.startTrace("quick");
    t.startSpan("s").end();
    t.end();
    expect(standIn.requests).toHaveLength(0);
    const res = await client.flush();
    expect(res).toMatchObject({ ok: true, sent: 1 });
  });
});

describe("caller-supplied ids", () => {
  it("keeps UUIDs (32-hex and upper-case ones normalised); replaces anything else with a fresh id and one warning, so the trace is not lost to a 422", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    const warn = vi.fn();
    const prev = logger.setSink({ debug() {}, warn, error() {} });
    logger.resetOnce();
    try {
      const own = "0b8e6f3c-2a1d-4c5e-9f70-1a2b3c4d5e6f";
      const hex = "9D2F5E1A3B4C4D6E8F7A0B1C2D3E4F50";
      let spanId = "";
      client.startTrace("own", { traceId: own }, (t) => {
        const s = t.startSpan("s", { spanId: hex });
        spanId = s.id;
        s.end();
      });
      expect(spanId).toBe("9d2f5e1a-3b4c-4d6e-8f7a-0b1c2d3e4f50"); // normalised to the OpenAPI uuid form
      const bad = client.startTrace("bad", { traceId: "conversation-42" });
      bad.startSpan("s1", { spanId: "step-1" }).end();
      bad.startSpan("s2", { spanId: "step-2" }).end();
      bad.end();
      expect(bad.id).toMatch(/^[0-9a-f-]{36}$/);
      await client.flush();
      const traces = await standIn.waitForTraces(2);
      const byName = Object.fromEntries(traces.map((t) => [t.name, t]));
      expect(byName.own.trace_id).toBe(own);
      expect(byName.bad.trace_id).toBe(bad.id);
      expect(byName.bad.spans).toHaveLength(2);
      expect(new Set(byName.bad.spans.map((s: { span_id: string }) => s.span_id)).size).toBe(2);
      const messages = warn.mock.calls.map((c) => String(c[0]));
      expect(messages.filter((m) => /traceId "conversation-42" is not a UUID/.test(m))).toHaveLength(1);
      expect(messages.filter((m) => /spanId "step-1" is not a UUID/.test(m))).toHaveLength(1); // once per kind
      expect(standIn.schemaErrors()).toEqual([]);
    } finally {
      logger.setSink(prev);
    }
  });
});

describe("disabled or misconfigured", () => {
  it("never throws, sends nothing, and warns once naming the problem", async () => {
    const warn = vi.fn();
    const prev = logger.setSink({ debug() {}, warn, error() {} });
    try {
      const client = new PandaProbe({ apiKey: "", projectName: "" });
      expect(client.enabled).toBe(false);
      expect(warn.mock.calls.join()).toMatch(/no API key/);
      const r = client.startTrace("x", {}, (t) => {
        t.startSpan("s").end();
        return 7;
      });
      expect(r).toBe(7);
      expect(client.score({ traceId: "nope", name: "n", value: 2 })).toBe(false);
      await expect(client.flush()).resolves.toMatchObject({
        ok: false,
        pending: 0,
        disabled: expect.stringMatching(/^no API key/),
      });
      expect(client.stats().queued).toBe(0);
    } finally {
      logger.setSink(prev);
    }
  });

  it("global startTrace works without any configuration", () => {
    const prev = logger.setSink({ debug() {}, warn() {}, error() {} });
    try {
      expect(startTrace("no-config", {}, () => 1)).toBe(1);
    } finally {
      logger.setSink(prev);
    }
  });
});

describe("span.end({ finalize })", () => {
  it("runs the integration's finalize after the caller resumes, before serialisation, and the standalone trace uses its output", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    const order: string[] = [];
    const span = startInactiveSpan("call", {
      kind: "LLM",
      input: { messages: [{ role: "user", content: "hi" }] },
      trace: { client },
    });
    span.end({
      finalize: (s) => {
        order.push("finalize");
        s.setOutput({ messages: [{ role: "assistant", content: "hello" }] }).setTokenUsage({
          prompt_tokens: 1,
          completion_tokens: 2,
        });
      },
    });
    order.push("caller");
    await client.flush();
    expect(order).toEqual(["caller", "finalize"]);
    const [t] = await standIn.waitForTraces(1);
    expect(t.output).toEqual({ messages: [{ role: "assistant", content: "hello" }] });
    expect(t.spans[0]).toMatchObject({ token_usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } });
  });
});

describe("deferRecording", () => {
  it("runs after the caller resumes, outside the scheduling and the draining context; flush() drains it first", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    const seen: unknown[] = [];
    user("u-call", () =>
      session("s-call", () =>
        client.startTrace("request", {}, () =>
          deferRecording(() => {
            seen.push([getCurrentTrace(), getCurrentSpan(), getCurrentUserId(), getCurrentSessionId()]);
            // What a deferred integration job does: record a standalone trace with the values it was given.
            startTrace("recorded", { client, userId: "u-given" }).end();
          }),
        ),
      ),
    );
    seen.push("caller");
    // Drained by a flush made inside another user's span: the job still sees no context at all.
    await user("u-other", () => client.startTrace("other", {}, () => startSpan("busy", {}, () => client.flush())));
    expect(seen).toEqual(["caller", [undefined, undefined, undefined, undefined]]);
    await client.flush();
    const traces = await standIn.waitForTraces(3);
    const recorded = traces.find((t) => t.name === "recorded")!;
    expect(recorded.user_id).toBe("u-given");
    expect(recorded.session_id ?? null).toBeNull();
    expect(recorded.spans).toEqual([]);
  });

  it("outside any entered context too: a framework resolver's span is not current inside a job", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    const frameworkSpan = startInactiveSpan("framework-step", { trace: { client } });
    const unregister = registerContextResolver(() => frameworkSpan);
    try {
      expect(getCurrentSpan()).toBe(frameworkSpan);
      let inJob: unknown = "not run";
      deferRecording(() => {
        inJob = getCurrentSpan() ?? getCurrentTrace();
      });
      await client.flush();
      expect(inJob).toBeUndefined();
      expect(getCurrentSpan()).toBe(frameworkSpan);
    } finally {
      unregister();
      frameworkSpan.end();
    }
  });

  it("batches: fewer than 32 jobs wait for the batch timer (100 ms); the 32nd runs them all on the next turn", async () => {
    const tick = () => new Promise((r) => setImmediate(r));
    await tick(); // earlier tests' pending drains
    drainDeferred();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const ran: number[] = [];
      for (let i = 0; i < 31; i++) deferRecording(() => ran.push(i));
      await tick();
      expect(ran).toEqual([]);
      deferRecording(() => ran.push(31));
      // No timer needed from here: the batch runs on the next turns (one, unless a slow turn makes it yield after
      // its 0.25 ms slice, as the next test shows; the fake clock never moves meanwhile).
      for (let turns = 0; turns < 20 && ran.length < 32; turns++) await tick();
      expect(ran).toEqual(Array.from({ length: 32 }, (_, i) => i));
      deferRecording(() => ran.push(32));
      await tick();
      vi.advanceTimersByTime(99);
      expect(ran).toHaveLength(32);
      vi.advanceTimersByTime(1);
      expect(ran).toHaveLength(33);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a batch yields to the event loop after about 0.25 ms; the rest runs on the next turns, in order", async () => {
    const tick = () => new Promise((r) => setImmediate(r));
    await tick();
    drainDeferred();
    const ran: number[] = [];
    const spin = (ms: number) => {
      for (const end = performance.now() + ms; performance.now() < end; );
    };
    for (let i = 0; i < 32; i++) deferRecording(() => (spin(0.2), ran.push(i)));
    await tick();
    // 0.2 ms, then 0.4 ms: past the slice after one or two jobs (one when the process was preempted meanwhile).
    expect(ran.length).toBeGreaterThanOrEqual(1);
    expect(ran.length).toBeLessThanOrEqual(2);
    for (let i = 0; i < 40 && ran.length < 32; i++) await tick();
    expect(ran).toEqual(Array.from({ length: 32 }, (_, i) => i));
  });

  it("a job that flushes runs once; a throwing job is reported and the next one still runs", async () => {
    standIn = await startStandIn();
    const { client, errors } = clientFor(standIn);
    const prev = logger.setSink({ debug() {}, warn() {}, error() {} });
    try {
      let runs = 0;
      deferRecording(() => {
        runs++;
        void client.flush();
      });
      deferRecording(() => {
        throw new Error("job failed");
      });
      deferRecording(() => void startTrace("after-throw", { client }).end());
      await client.flush();
      expect(runs).toBe(1);
      const [t] = await standIn.waitForTraces(1);
      expect(t.name).toBe("after-throw");
      expect(errors.some((e) => e.kind === "internal" && e.message.includes("job failed"))).toBe(true);
    } finally {
      logger.setSink(prev);
    }
  });
});
