/**
 * The public API's naming convention: `with*` runs a callback with the trace or span current, `start*` returns one you
 * end yourself (not made current). Old names of this SDK keep working as deprecated aliases, with the same result.
 */
import type { TraceResponse } from "@pandaprobe/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  flush,
  getClient,
  getCurrentSpan,
  getCurrentTrace,
  init,
  PandaProbe,
  score,
  type Span,
  startInactiveSpan,
  startSpan,
  startTrace,
  type Trace,
  withActiveSpan,
  withSpan,
  withTrace,
} from "../src/index.js";
import { logger } from "../src/integration/index.js";
import { startStandIn, type StandIn } from "./helpers.js";

let standIn: StandIn;
beforeAll(async () => {
  standIn = await startStandIn();
});
afterAll(async () => {
  await getClient().shutdown({ timeoutMs: 100 });
  await standIn.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

function fresh(): PandaProbe {
  standIn.reset();
  return init({ ...standIn.clientOptions, flushIntervalMs: 10, retryBaseMs: 5, tracesPerMinute: 0 });
}

/** The stored tree as [name, parent name] pairs, for comparing shapes. */
function shape(t: TraceResponse): Array<[string, string | null]> {
  const names = new Map(t.spans.map((s) => [s.span_id, s.name]));
  return t.spans.map((s) => [s.name, s.parent_span_id ? (names.get(s.parent_span_id) ?? "?") : null]);
}

describe("with*: a callback with the trace or span current", () => {
  it("withTrace(name, fn) and withTrace(name, options, fn): current inside, ended after, fn's value returned", async () => {
    fresh();
    const seen: Array<Trace | undefined> = [];
    const a = withTrace("a", (t) => {
      seen.push(getCurrentTrace());
      return t.id;
    });
    const b = await withTrace("b", { userId: "u1" }, async (t) => {
      await Promise.resolve();
      seen.push(getCurrentTrace());
      return t.id;
    });
    expect(getCurrentTrace()).toBeUndefined();
    expect(seen.map((t) => t?.id)).toEqual([a, b]);
    await flush();
    expect(standIn.getTrace(a)).toMatchObject({ name: "a", status: "COMPLETED" });
    expect(standIn.getTrace(b)).toMatchObject({ name: "b", user_id: "u1" });
  });

  it("withSpan(name, [options], fn): current inside, nested under the current span; standalone with no trace", async () => {
    fresh();
    const id = withTrace("t", (t) => {
      withSpan("outer", (outer) => {
        expect(getCurrentSpan()).toBe(outer);
        withSpan("inner", { kind: "TOOL" }, (inner) => expect(getCurrentSpan()).toBe(inner));
        t.withSpan("root-of-trace", () => undefined); // like trace.startSpan: at the trace's root
        outer.withSpan("child-of-outer", () => undefined);
      });
      return t.id;
    });
    const alone = withSpan("alone", { kind: "AGENT", traceName: "standalone" }, (s) => s.traceId);
    await flush();
    expect(shape(standIn.getTrace(id)!)).toEqual([
      ["outer", null],
      ["inner", "outer"],
      ["root-of-trace", null],
      ["child-of-outer", "outer"],
    ]);
    expect(standIn.getTrace(alone)).toMatchObject({ name: "standalone", spans: [{ name: "alone", kind: "AGENT" }] });
  });

  it("withActiveSpan(span | trace | undefined, fn) runs fn with an existing span or trace current, or none", async () => {
    fresh();
    const t = startTrace("t");
    const s = t.startSpan("existing");
    withActiveSpan(s, () => {
      expect(getCurrentSpan()).toBe(s);
      startSpan("child").end();
    });
    withActiveSpan(t, () => {
      expect([getCurrentTrace(), getCurrentSpan()]).toEqual([t, undefined]);
      withActiveSpan(undefined, () => expect(getCurrentTrace()).toBeUndefined());
    });
    s.end();
    t.end();
    await flush();
    expect(shape(standIn.getTrace(t.id)!)).toEqual([
      ["existing", null],
      ["child", "existing"],
    ]);
  });
});

describe("start*: a trace or span you end yourself, not made current", () => {
  it("startTrace(name, options) and startSpan(name, options) leave the context as it was", async () => {
    fresh();
    const t = startTrace("t", { sessionId: "s1" });
    expect(getCurrentTrace()).toBeUndefined();
    const id = withActiveSpan(t, () => {
      const a = startSpan("a", { kind: "LLM" });
      expect(getCurrentSpan()).toBeUndefined();
      const b = startSpan("b", { parent: a });
      b.end();
      a.end();
      return t.id;
    });
    t.end();
    await flush();
    expect(standIn.getTrace(id)).toMatchObject({ session_id: "s1" });
    expect(shape(standIn.getTrace(id)!)).toEqual([
      ["a", null],
      ["b", "a"],
    ]);
  });
});

describe("old names keep working (deprecated aliases) with the same result", () => {
  it("startTrace(name, options, fn), client.startTrace(name, options, fn), startSpan(name, options, fn), startInactiveSpan, withSpan(span, fn), trace.span", async () => {
    const client = fresh();
    const oldIds: string[] = [];
    const newIds: string[] = [];
    const body = (ids: string[], old: boolean) => (t: Trace) => {
      ids.push(t.id);
      const run = old
        ? (name: string, fn: (s: Span) => void) => startSpan(name, {}, fn)
        : (name: string, fn: (s: Span) => void) => withSpan(name, {}, fn);
      run("outer", (outer) => {
        const inactive = old ? startInactiveSpan("inactive") : startSpan("inactive");
        (old ? withSpan : withActiveSpan)(inactive, () => startSpan("under-inactive").end());
        inactive.end();
        if (old) t.span("via-trace", { parent: outer }, () => undefined);
        else t.withSpan("via-trace", { parent: outer }, () => undefined);
        expect(getCurrentSpan()).toBe(outer);
      });
    };
    startTrace("old", {}, body(oldIds, true));
    client.startTrace("old-client", {}, body(oldIds, true));
    withTrace("new", {}, body(newIds, false));
    client.withTrace("new-client", body(newIds, false));
    await flush();
    const shapes = (ids: string[]) => ids.map((id) => shape(standIn.getTrace(id)!));
    expect(shapes(oldIds)).toEqual(shapes(newIds));
    expect(shapes(newIds)[0]).toEqual([
      ["outer", null],
      ["inactive", "outer"],
      ["under-inactive", "inactive"],
      ["via-trace", "outer"],
    ]);
  });

  it("score() takes the object form and the positional form of PandaProbe's `pandaprobe` package", async () => {
    const client = fresh();
    const t = startTrace("scored");
    t.end();
    expect(score({ traceId: t.id, name: "object", value: 0.5, reason: "r" })).toBe(true);
    expect(score(t.id, "positional", "good", { dataType: "CATEGORICAL", reason: "r", metadata: { k: 1 } })).toBe(true);
    expect(client.score(t.id, "client-positional", true)).toBe(true);
    expect(score(t.id, "on-client", 1, { client })).toBe(true);
    await flush();
    await standIn.waitForRequests((r) => r.path === "/evaluations/trace-scores", { count: 4 });
    expect(
      standIn
        .scores()
        .map((s) => [s.name, s.value, s.data_type, s.reason])
        .sort(),
    ).toEqual([
      ["client-positional", "true", "BOOLEAN", null],
      ["object", "0.5", "NUMERIC", "r"],
      ["on-client", "1", "NUMERIC", null],
      ["positional", "good", "CATEGORICAL", "r"],
    ]);
  });
});

describe("when tracing cannot work", () => {
  it("callbacks get a no-op trace and span (never undefined), their values pass through, the loss is counted", async () => {
    const client = fresh();
    const prev = logger.setSink({ debug() {}, warn() {}, error() {} });
    try {
      // No random ids (a broken crypto): the SDK cannot make traces.
      vi.spyOn(globalThis.crypto, "getRandomValues").mockImplementation(() => {
        throw new Error("no entropy");
      });
      vi.spyOn(globalThis.crypto, "randomUUID").mockImplementation(() => {
        throw new Error("no entropy");
      });
      const got: unknown[] = [];
      for (let i = 0; i < 130; i++) {
        const value = withTrace("t", (t) => {
          got.push(t);
          return withSpan("s", (s) => {
            got.push(s);
            s.setOutput("x").setMetadata({ a: 1 }).startSpan("child").end();
            t.setOutput("y").withSpan("nested", () => undefined);
            return i;
          });
        });
        expect(value).toBe(i);
      }
      const last = got.slice(-2) as [Trace, Span];
      expect(last[0].id).toBe("00000000-0000-0000-0000-000000000000");
      expect(last[1].id).toBe("00000000-0000-0000-0000-000000000000");
      expect(got.every((h) => h !== undefined)).toBe(true);
      const failed = client.stats().droppedByReason.recording_failed ?? 0;
      expect(failed).toBeGreaterThan(0);
      // Every trace it could not make is counted (a withSpan with no trace to join tried a standalone one too).
      const noopTraces = got.filter(
        (h, i) => i % 2 === 0 && (h as Trace).id === "00000000-0000-0000-0000-000000000000",
      );
      expect(failed).toBeGreaterThanOrEqual(noopTraces.length);
    } finally {
      logger.setSink(prev);
    }
  });
});

describe("the resolved configuration", () => {
  it("is read-only", () => {
    const client = new PandaProbe({ enabled: false });
    expect(Object.isFrozen(client.config)).toBe(true);
    const mutate = () => {
      // @ts-expect-error the configuration is read-only
      client.config.enabled = true;
    };
    expect(mutate).toThrow(TypeError);
    expect(client.config.enabled).toBe(false);
  });
});
