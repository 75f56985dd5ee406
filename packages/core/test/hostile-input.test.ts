/**
 * Hostile input through the public API, against the stand-in (which validates every body and refuses what the real
 * backend refuses). For each case: nothing is thrown into user code, user code gets a working trace or span, and the
 * trace is either stored valid (with a marker where cut) or counted as dropped with its reason.
 */
import type { TraceResponse } from "@pandaprobe/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type DropReason,
  flush,
  getClient,
  init,
  type PandaProbeErrorInfo,
  type PandaProbeOptions,
  redactStrings,
  score,
  session,
  setUser,
  type Span,
  startSpan,
  startTrace,
  type Trace,
  trace,
  user,
  withActiveSpan,
  withSpan,
  withTrace,
} from "../src/index.js";
import { deferRecording, logger } from "../src/integration/index.js";
import { startStandIn, type StandIn } from "./helpers.js";

/** A revoked Proxy: every operation on it throws (an immer draft kept after `produce()` is one). */
function revoked(): object {
  const r = Proxy.revocable({}, {});
  r.revoke();
  return r.proxy;
}

/** A Proxy whose every trap throws. */
function trapAll(message = "trap"): object {
  const handler = new Proxy(
    {},
    {
      get: () => () => {
        throw new Error(message);
      },
    },
  );
  return new Proxy({}, handler);
}

const throwingToString = {
  toString() {
    throw new Error("no string for you");
  },
};

const EMOJI = "😀"; // two UTF-16 code units
const LONE_HIGH = "\ud83d";
const LONE_LOW = "\udc00";
const MARKER = /…\[truncated \d+ chars\]$/;

/** True when no string or key inside `value` holds a lone surrogate. */
function wellFormed(value: unknown): boolean {
  const ok = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();
  if (typeof value === "string") return ok(value);
  if (Array.isArray(value)) return value.every(wellFormed);
  if (value && typeof value === "object") return Object.entries(value).every(([k, v]) => ok(k) && wellFormed(v));
  return true;
}

interface Run {
  /** Handles user code got (returned, or handed to its callbacks). */
  handles: unknown[];
  /** The trace expected in the stand-in (or expected not to be, for a drop). */
  traceId: string;
}

interface Case {
  name: string;
  /** Client options for this case (beyond the stand-in's). */
  options?: PandaProbeOptions;
  run: () => Run | Promise<Run>;
  /** Checks on the stored trace. */
  stored?: (t: TraceResponse) => void;
  /** The trace is dropped, counted under this reason. */
  dropped?: DropReason;
}

/** A trace whose body runs `fn(trace)`, ended; the usual shape of a case. */
function traced(fn: (t: Trace) => unknown[] | undefined): Run {
  const t = startTrace("case");
  const handles = fn(t) ?? [];
  t.end();
  return { handles: [t, ...handles], traceId: t.id };
}

const cases: Case[] = [
  // --- Values nobody can read: placeholders naming why, never an exception (issue 14, "thrown into user code").
  {
    name: "trace.setInput(revoked Proxy)",
    run: () => traced((t) => void t.setInput(revoked())),
    stored: (t) => expect(t.input).toBe("[unreadable: revoked proxy]"),
  },
  {
    name: "trace.setOutput(Proxy throwing on every trap)",
    run: () => traced((t) => void t.setOutput(trapAll())),
    stored: (t) => expect(t.output).toBe("[unreadable: trap]"),
  },
  {
    name: "trace.setMetadata(revoked Proxy)",
    run: () => traced((t) => void t.setMetadata(revoked() as never)),
    stored: (t) => expect(t.metadata).toEqual({ metadata: "[unreadable: revoked proxy]" }),
  },
  {
    name: "trace.setMetadata(Proxy throwing on every trap), after readable metadata",
    run: () => traced((t) => void t.setMetadata({ kept: 1 }).setMetadata(trapAll() as never)),
    stored: (t) => expect(t.metadata).toEqual({ kept: 1, metadata: "[unreadable: trap]" }),
  },
  {
    name: "span.setInput(revoked Proxy) and span.setMetadata(revoked Proxy)",
    run: () =>
      traced((t) => {
        const s = t
          .startSpan("s")
          .setInput(revoked())
          .setMetadata(revoked() as never);
        s.end();
        return [s];
      }),
    stored: (t) => {
      expect(t.spans[0]!.input).toBe("[unreadable: revoked proxy]");
      expect(t.spans[0]!.metadata).toEqual({ metadata: "[unreadable: revoked proxy]" });
    },
  },
  {
    name: "trace.end({ output: revoked Proxy })",
    run: () => {
      const t = startTrace("case");
      t.end({ output: revoked() });
      return { handles: [t], traceId: t.id };
    },
    stored: (t) => expect(t.output).toBe("[unreadable: revoked proxy]"),
  },
  {
    name: "span.end({ output: Proxy throwing on every trap })",
    run: () =>
      traced((t) => {
        const s = t.startSpan("s");
        s.end({ output: trapAll("boom") });
        return [s];
      }),
    stored: (t) => expect(t.spans[0]!.output).toBe("[unreadable: boom]"),
  },
  {
    name: "startTrace(name, { input: revoked Proxy }) without a callback",
    run: () => {
      const t = startTrace("case", { input: revoked() });
      t.end();
      return { handles: [t], traceId: t.id };
    },
    stored: (t) => expect(t.input).toBe("[unreadable: revoked proxy]"),
  },
  {
    name: "withTrace(name, { input: revoked Proxy }, fn): fn gets a working trace",
    run: () => {
      let got: Trace | undefined;
      withTrace("case", { input: revoked() }, (t) => {
        got = t;
        t.setOutput("fine");
      });
      return { handles: [got], traceId: got!.id };
    },
    stored: (t) => expect([t.input, t.output]).toEqual(["[unreadable: revoked proxy]", "fine"]),
  },
  {
    name: "a revoked Proxy as the options object",
    run: () => {
      const t = startTrace("case", revoked() as never);
      t.end();
      return { handles: [t], traceId: t.id };
    },
    stored: (t) => expect(t.name).toBe("case"),
  },
  {
    name: "a Proxy throwing on every trap as the options object of withTrace and withSpan",
    run: () => {
      let id = "";
      const handles: unknown[] = [];
      withTrace("case", trapAll() as never, (t) => {
        id = t.id;
        handles.push(
          t,
          withSpan("inner", trapAll() as never, (s) => s),
        );
      });
      return { handles, traceId: id };
    },
    stored: (t) => expect(t.spans.map((s) => s.name)).toEqual(["inner"]),
  },
  {
    name: "startTrace(name, { metadata: Proxy throwing on every trap })",
    run: () => {
      const t = startTrace("case", { metadata: trapAll() as never });
      t.end();
      return { handles: [t], traceId: t.id };
    },
    stored: (t) => expect(t.metadata).toEqual({ metadata: "[unreadable: trap]" }),
  },
  {
    name: "metadata that is not an object (a string)",
    run: () => {
      const t = startTrace("case", { metadata: "abc" as never });
      t.end();
      return { handles: [t], traceId: t.id };
    },
    stored: (t) => expect(t.metadata).toEqual({ value: "abc" }),
  },
  {
    name: "a getter that throws and a toJSON that throws inside the input",
    run: () =>
      traced((t) => {
        const getter = Object.defineProperty({ ok: 1 }, "bad", {
          enumerable: true,
          get: () => {
            throw new Error("getter");
          },
        });
        const toJSON = {
          toJSON() {
            throw new Error("toJSON");
          },
        };
        t.setInput({ getter, toJSON });
        return [];
      }),
    stored: (t) =>
      expect(t.input).toEqual({ getter: { ok: 1, bad: "[unreadable: getter]" }, toJSON: "[unreadable: toJSON]" }),
  },

  // --- Options normalised with one warning naming the field (issue 14, "lost without being counted").
  {
    name: 'tags: ["ok", 1, null, {}]',
    run: () => {
      const t = startTrace("case", { tags: ["ok", 1, null, {}] as never });
      t.end();
      return { handles: [t], traceId: t.id };
    },
    stored: (t) => expect(t.tags.sort()).toEqual(["1", "ok"]),
  },
  {
    name: "tags as a single string, and addTags with non-strings and a Proxy",
    run: () => {
      const t = startTrace("case", { tags: "solo" as never });
      t.addTags(revoked() as never, 5 as never, "x");
      t.end();
      return { handles: [t], traceId: t.id };
    },
    stored: (t) => expect(t.tags.sort()).toEqual(["5", "solo", "x"]),
  },
  {
    name: "a userId whose toString throws",
    run: () => {
      const t = startTrace("case", { userId: throwingToString as never });
      t.setSessionId(throwingToString as never);
      t.end();
      return { handles: [t], traceId: t.id };
    },
    stored: (t) => expect([t.user_id, t.session_id]).toEqual([null, null]),
  },
  {
    name: "a numeric userId and sessionId",
    run: () => {
      const t = startTrace("case", { userId: 42 as never, sessionId: 7n as never });
      t.end();
      return { handles: [t], traceId: t.id };
    },
    stored: (t) => expect([t.user_id, t.session_id]).toEqual(["42", "7"]),
  },
  {
    name: "a 10,000-character userId",
    run: () => {
      const t = startTrace("case", { userId: "u".repeat(10_000) });
      t.end();
      return { handles: [t], traceId: t.id };
    },
    stored: (t) => expect(t.user_id).toBe("u".repeat(255)),
  },
  {
    name: "startTime: 1e20 (beyond what a Date can hold)",
    run: () => {
      const t = startTrace("case", { startTime: 1e20 });
      t.end();
      return { handles: [t], traceId: t.id };
    },
    stored: (t) => expect(Math.abs(Date.parse(t.started_at) - Date.now())).toBeLessThan(60_000),
  },
  {
    name: "startTime -1e20, NaN, a string, an invalid Date, a revoked Proxy; endTime 1e20",
    run: () => {
      const handles: unknown[] = [];
      const t = startTrace("case", { startTime: -1e20 });
      for (const startTime of [Number.NaN, "yesterday", new Date(Number.NaN), revoked()])
        handles.push(t.startSpan("s", { startTime: startTime as never }));
      for (const s of handles as Span[]) s.end({ endTime: 1e20 });
      t.end({ endTime: 1e20 });
      return { handles: [t, ...handles], traceId: t.id };
    },
    stored: (t) => {
      const recent = (iso: string | null) => Math.abs(Date.parse(iso!) - Date.now()) < 60_000;
      expect([t.started_at, t.ended_at].every(recent)).toBe(true);
      expect(t.spans.every((s) => recent(s.started_at) && recent(s.ended_at))).toBe(true);
    },
  },
  {
    name: "a year-10000 startTime and a year-0 endTime (outside what the backend stores)",
    run: () => {
      const t = startTrace("case", { startTime: Date.UTC(10_000, 0, 1) });
      t.end({ endTime: Date.UTC(0, 0, 1) });
      return { handles: [t], traceId: t.id };
    },
    stored: (t) => expect(t.started_at.startsWith(String(new Date().getUTCFullYear()))).toBe(true),
  },
  {
    name: "traceId and spanId that are not UUIDs (a Proxy, a number)",
    run: () => {
      const t = startTrace("case", { traceId: revoked() as never });
      const s = t.startSpan("s", { spanId: 123 as never });
      s.end();
      t.end();
      return { handles: [t, s], traceId: t.id };
    },
    stored: (t) => expect(t.spans).toHaveLength(1),
  },
  {
    name: "names that are not strings (a number, a Symbol, a revoked Proxy)",
    run: () => {
      const t = startTrace(42 as never);
      t.startSpan(Symbol("s") as never).end();
      t.startSpan(revoked() as never).end();
      t.setName(throwingToString as never);
      t.end();
      return { handles: [t], traceId: t.id };
    },
    stored: (t) => {
      expect(t.name).toBe("42");
      expect(t.spans.map((s) => s.name)).toEqual(["unnamed", "unnamed"]);
    },
  },
  {
    name: "span kind in lower case, a Symbol, a Proxy; a bogus status",
    run: () =>
      traced((t) => {
        const a = t.startSpan("a", { kind: "llm" as never });
        const b = t.startSpan("b", { kind: Symbol("k") as never }).setKind(revoked() as never);
        a.setStatus("bogus" as never).end();
        b.setStatus(revoked() as never).end();
        t.setStatus("DONE" as never);
        return [a, b];
      }),
    stored: (t) => {
      expect(t.status).toBe("COMPLETED");
      expect(t.spans.map((s) => [s.kind, s.status])).toEqual([
        ["LLM", "OK"],
        ["OTHER", "OK"],
      ]);
    },
  },
  {
    name: "setError with a revoked Proxy, and a callback that throws a revoked Proxy (re-thrown as it is)",
    run: () => {
      const thrown = revoked();
      let id = "";
      let caught: unknown;
      try {
        withTrace("case", (t) => {
          id = t.id;
          t.startSpan("s").setError(revoked()).end();
          throw thrown;
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBe(thrown);
      return { handles: [], traceId: id };
    },
    stored: (t) => {
      expect(t.status).toBe("ERROR");
      expect(t.metadata.error).toBe("revoked proxy");
      expect([t.spans[0]!.status, t.spans[0]!.error]).toEqual(["ERROR", "revoked proxy"]);
    },
  },
  {
    name: "setTokenUsage, setCost, setModel, setModelParameters, setCompletionStartTime with hostile values",
    run: () =>
      traced((t) => {
        const s = t
          .startSpan("llm", { kind: "LLM", model: throwingToString as never })
          .setTokenUsage(revoked() as never)
          .setCost(trapAll() as never)
          .setModel({ not: "a model" } as never)
          .setModelParameters(revoked() as never)
          .setCompletionStartTime(1e20);
        s.end();
        return [s];
      }),
    stored: (t) => {
      const s = t.spans[0]!;
      expect([s.model, s.token_usage, s.cost]).toEqual([null, null, null]);
      expect(s.model_parameters).toEqual({ value: "[unreadable: revoked proxy]" });
    },
  },
  {
    name: "a parent that is not a span (a Proxy, a plain object, a span of another trace)",
    run: () => {
      const other = startTrace("other");
      const foreign = other.startSpan("foreign");
      const t = startTrace("case");
      const spans = [revoked(), {}, foreign].map((parent) => t.startSpan("s", { parent: parent as never }));
      for (const s of spans) s.end();
      foreign.end();
      other.end();
      t.end();
      return { handles: [t, ...spans], traceId: t.id };
    },
    stored: (t) => expect(t.spans.map((s) => s.parent_span_id)).toEqual([null, null, null]),
  },
  {
    name: "a client option that is not a client",
    run: () => {
      const t = startTrace("case", { client: {} as never });
      const s = startSpan("s", { trace: { client: revoked() as never } });
      s.end();
      t.end();
      return { handles: [t, s], traceId: t.id };
    },
    stored: (t) => expect(t.name).toBe("case"),
  },

  // --- Text the backend refuses or loses: well-formed UTF-16, cuts that never split a code point.
  {
    name: "lone surrogates in names, ids, tags, input, output and metadata keys",
    run: () =>
      traced((t) => {
        t.setName(`a${LONE_HIGH}b`)
          .setInput(`x${LONE_LOW}`)
          .setOutput({ [`k${LONE_HIGH}`]: [LONE_LOW] })
          .setMetadata({ [LONE_LOW]: LONE_HIGH })
          .setUserId(`u${LONE_HIGH}`)
          .addTags(`t${LONE_LOW}`);
        const s = t.startSpan(`s${LONE_HIGH}`, { model: `m${LONE_LOW}` }).setCost({ [LONE_HIGH]: 1 });
        s.end({ error: new Error(`e${LONE_LOW}`) });
        return [s];
      }),
    stored: (t) => {
      expect(wellFormed(t)).toBe(true);
      expect([t.name, t.input, t.user_id, t.tags]).toEqual(["a\ufffdb", "x\ufffd", "u\ufffd", ["t\ufffd"]]);
      expect([t.spans[0]!.name, t.spans[0]!.model, t.spans[0]!.error]).toEqual(["s\ufffd", "m\ufffd", "e\ufffd"]);
    },
  },
  {
    name: "a name cut at 512 and a user id cut at 255 where an emoji straddles the limit",
    run: () => {
      const t = startTrace(`${"n".repeat(511)}${EMOJI}tail`, { userId: `${"u".repeat(254)}${EMOJI}` });
      t.end();
      return { handles: [t], traceId: t.id };
    },
    stored: (t) => {
      expect(t.name).toBe("n".repeat(511));
      expect(t.user_id).toBe("u".repeat(254));
    },
  },
  {
    name: "a field cut at maxFieldSize where an emoji straddles the cut (the marker follows a whole code point)",
    options: { maxFieldSize: 100 },
    run: () => traced((t) => void t.setInput(`${"a".repeat(97)}${EMOJI.repeat(20)}`)),
    stored: (t) => {
      expect(t.input).toMatch(MARKER);
      expect(wellFormed(t.input)).toBe(true);
      expect(String(t.input).startsWith("a".repeat(97) + EMOJI)).toBe(true);
    },
  },
  {
    name: "NUL characters in names, tags, keys and values",
    run: () =>
      traced((t) => {
        t.setName("n\u0000ul").addTags("t\u0000").setInput({ "k\u0000": "v\u0000" });
        return [];
      }),
    stored: (t) => expect([t.name, t.tags, t.input]).toEqual(["nul", ["t"], { k: "v" }]),
  },
  {
    name: "a 50 MB string (cut with a marker)",
    run: () => traced((t) => void t.setInput("x".repeat(50 * 1024 * 1024))),
    stored: (t) => {
      expect(t.input).toMatch(MARKER);
      expect(String(t.input).length).toBeLessThan(1_000_100);
    },
  },
  {
    name: "a 2 MB input with a 1 MB byte cap: dropped, counted as queue_bytes",
    options: { maxFieldSize: 4_000_000, maxQueueBytes: 1024 * 1024 },
    run: () => traced((t) => void t.setInput("x".repeat(2 * 1024 * 1024))),
    dropped: "queue_bytes",
  },

  // --- Values with no JSON form of their own (handled before; kept here as the baseline).
  {
    name: "circular objects, BigInt, Symbol, functions, Map/Set, Date, typed arrays, a Promise",
    run: () =>
      traced((t) => {
        const circular: Record<string, unknown> = { a: 1 };
        circular.self = circular;
        t.setInput({
          circular,
          big: 10n,
          sym: Symbol("s"),
          fn: function named() {},
          map: new Map([["k", 1]]),
          set: new Set([1]),
          date: new Date(0),
          bytes: new Uint8Array(3),
          promise: Promise.resolve(1),
        });
        return [];
      }),
    stored: (t) =>
      expect(t.input).toEqual({
        circular: { a: 1, self: "[Circular]" },
        big: "10",
        sym: "Symbol(s)",
        fn: "[Function named]",
        map: { k: 1 },
        set: [1],
        date: "1970-01-01T00:00:00.000Z",
        bytes: "[Uint8Array byteLength=3]",
        promise: "[Promise]",
      }),
  },
  {
    name: "10,000-deep nesting",
    run: () =>
      traced((t) => {
        let deep: unknown = "bottom";
        for (let i = 0; i < 10_000; i++) deep = { deep };
        t.setInput(deep);
        return [];
      }),
    stored: (t) => expect(JSON.stringify(t.input)).toContain("[Max depth]"),
  },
  {
    name: "1,200 spans (sent in chunks of 500)",
    run: () =>
      traced((t) => {
        for (let i = 0; i < 1200; i++) t.startSpan(`s${i}`).end();
        return [];
      }),
    stored: (t) => expect(t.spans).toHaveLength(1200),
  },

  // --- Calls of the wrong shape: they return normally.
  {
    name: "withTrace and withSpan without a callback; end() twice and with odd options",
    run: () => {
      expect(withTrace("no-callback" as never, undefined as never)).toBeUndefined();
      expect(withSpan("no-callback", {}, "nope" as never)).toBeUndefined();
      const t = startTrace("case");
      const s = t.startSpan("s");
      s.end("string" as never);
      s.end(revoked() as never);
      t.end(revoked() as never);
      t.end();
      return { handles: [t, s], traceId: t.id };
    },
    stored: (t) => expect(t.spans[0]!.status).toBe("OK"),
  },
  {
    name: "withActiveSpan, user, session and setUser with hostile values",
    run: () => {
      let id = "";
      withActiveSpan(revoked() as never, () =>
        user(revoked() as never, () =>
          session(12 as never, () => {
            setUser(throwingToString as never);
            const t = startTrace("case");
            id = t.id;
            t.end();
          }),
        ),
      );
      expect(user("u", "not a function" as never)).toBeUndefined();
      return { handles: [], traceId: id };
    },
    stored: (t) => expect([t.user_id, t.session_id]).toEqual([null, "12"]),
  },
  {
    name: "every invalid score (both forms) returns false, the trace is still stored",
    run: () =>
      traced((t) => {
        const results = [
          score(revoked() as never),
          score(null as never),
          score({ traceId: t.id, name: "n", value: 2 }),
          score({ traceId: 1n as never, name: "n", value: 0.5 }),
          score(t.id, "n", "maybe", { dataType: "BOOLEAN" }),
          score(t.id, "n", 0.5, revoked() as never) && false,
          score(t.id, throwingToString as never, 0.5),
          score(t.id, "n", 0.5, { dataType: Symbol("x") as never }),
        ];
        expect(results).toEqual([false, false, false, false, false, false, false, false]);
        return [];
      }),
    stored: (t) => expect(t.name).toBe("case"),
  },
  {
    name: "trace(fn, hostile options) and a captureOutput that throws: the call still returns, the trace ends",
    run: async () => {
      let id = "";
      const wrapped = trace(
        (x: number) => {
          const probe = startSpan("probe");
          id = probe.trace.id;
          probe.end();
          return x * 2;
        },
        {
          name: "case",
          captureOutput: () => {
            throw new Error("mapping failed");
          },
          tags: revoked() as never,
        },
      );
      expect(await wrapped(21)).toBe(42);
      return { handles: [], traceId: id };
    },
    stored: (t) => expect([t.name, t.input, t.output]).toEqual(["case", 21, null]),
  },
  {
    name: "a mask that returns a revoked Proxy, and redactStrings with a pattern that is not a RegExp",
    options: {
      mask: (v, target) => (target.field === "input" ? revoked() : redactStrings([/secret/, "x" as never])(v, target)),
    },
    run: () =>
      traced((t) => {
        t.setInput("in").setOutput("my secret");
        return [];
      }),
    stored: (t) => expect([t.input, t.output]).toEqual(["[unreadable: revoked proxy]", "my [redacted]"]),
  },
  {
    name: "a span finalize that throws: the span is kept with what was set",
    run: () =>
      traced((t) => {
        const s = t.startSpan("s").setOutput("kept");
        s.end({
          finalize: () => {
            throw new Error("finalize");
          },
        });
        return [s];
      }),
    stored: (t) => expect(t.spans[0]!.output).toBe("kept"),
  },
  {
    name: "a deferred recording that throws: counted as recording_failed",
    run: () => {
      const t = startTrace("case");
      deferRecording(() => {
        throw new Error("integration bug");
      });
      return { handles: [t], traceId: t.id }; // never ended: its recording failed
    },
    dropped: "recording_failed",
  },
];

let standIn: StandIn;
let restoreLogger: ReturnType<typeof logger.setSink>;
beforeAll(async () => {
  standIn = await startStandIn();
});
afterAll(async () => {
  await getClient().shutdown({ timeoutMs: 100 });
  await standIn.close();
});
beforeEach(() => {
  standIn.reset();
  logger.resetOnce();
  restoreLogger = logger.setSink({ debug() {}, warn() {}, error() {} });
});
afterEach(() => {
  logger.setSink(restoreLogger);
});

function expectWorkingHandle(handle: unknown): void {
  expect(handle).toBeTypeOf("object");
  const h = handle as Trace & Span;
  expect(h.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(h.setName(h.name)).toBe(h);
  expect(h.setMetadata({})).toBe(h);
}

describe("hostile input through the public API", () => {
  it("covers at least the forty cases of issue 14", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    init({
      ...standIn.clientOptions,
      flushIntervalMs: 10,
      retryBaseMs: 5,
      retryMaxMs: 40,
      tracesPerMinute: 0,
      ...c.options,
    });
    let run: Run | undefined;
    let thrown: unknown;
    try {
      run = await c.run();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeUndefined();
    for (const h of run!.handles) expectWorkingHandle(h);
    const result = await flush({ timeoutMs: 5000 });
    const stats = getClient().stats();
    if (c.dropped) {
      expect(stats.droppedByReason[c.dropped]).toBeGreaterThanOrEqual(1);
      expect(standIn.getTrace(run!.traceId)).toBeUndefined();
      return;
    }
    expect(result).toMatchObject({ ok: true, failed: 0, dropped: 0 });
    expect(stats.dropped).toBe(0);
    const stored = standIn.getTrace(run!.traceId);
    expect(stored).toBeDefined();
    expect(standIn.schemaErrors()).toEqual([]);
    expect(standIn.droppedTraces()).toEqual([]);
    expect(wellFormed(stored)).toBe(true);
    c.stored?.(stored!);
  });

  it("normalising options warns once per field, naming it", async () => {
    init({ ...standIn.clientOptions, flushIntervalMs: 10, tracesPerMinute: 0 });
    const warn = vi.fn();
    logger.setSink({ debug() {}, warn, error() {} });
    for (let i = 0; i < 3; i++) {
      const t = startTrace("case", { tags: ["ok", 1] as never, userId: {} as never, startTime: 1e20 });
      t.startSpan("s", { kind: "nope" as never, parent: "x" as never }).end();
      t.end();
    }
    await flush();
    const lines = warn.mock.calls.map((c) => String(c[0]));
    for (const field of ["tags", "userId", "startTime", 'unknown span kind "nope"', "option parent"])
      expect(
        lines.filter((l) => l.includes(field)),
        field,
      ).toHaveLength(1);
  });

  it("reports drops through onError (each) and the log (once per reason), and counts every one", async () => {
    const errors: PandaProbeErrorInfo[] = [];
    init({ ...standIn.clientOptions, maxQueueSize: 5, tracesPerMinute: 0, onError: (e) => errors.push(e) });
    const warn = vi.fn();
    logger.setSink({ debug() {}, warn, error() {} });
    for (let i = 0; i < 12; i++) startTrace(`t${i}`).end();
    const stats = getClient().stats();
    expect(stats.droppedByReason).toEqual({ recording_overflow: 7 });
    expect(errors.filter((e) => e.kind === "dropped")).toHaveLength(7);
    expect(errors[0]!.message).toMatch(/^trace "t5" \([0-9a-f-]{36}\) dropped: recording_overflow/);
    expect(warn.mock.calls.filter((c) => String(c[0]).includes("recording_overflow"))).toHaveLength(1);
    await flush();
  });
});
