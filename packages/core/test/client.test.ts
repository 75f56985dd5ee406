import { afterEach, describe, expect, it, vi } from "vitest";
import {
  PandaProbe,
  flush,
  getClient,
  getCurrentContext,
  getCurrentSessionId,
  getCurrentSpan,
  getCurrentTrace,
  getCurrentUserId,
  init,
  shutdown,
  startInactiveSpan,
  startSpan,
  startTrace,
  session,
  trace,
  user,
  withSpan,
} from "../src/index.js";
import { guard, logger, registerContextResolver } from "../src/integration/index.js";
import { clientFor, startStandIn, type StandIn } from "./helpers.js";

let standIn: StandIn | undefined;
const quiet = () => logger.setSink({ debug() {}, warn() {}, error() {} });
afterEach(async () => {
  await shutdown({ timeoutMs: 100 });
  await standIn?.close();
  standIn = undefined;
  for (const k of ["PANDAPROBE_API_KEY", "PANDAPROBE_PROJECT_NAME"]) delete process.env[k];
});

describe("a client that sends nothing says so in flush() and shutdown()", () => {
  it("misconfigured (no project name): ok false, with the problem; the traces it was given are not reported as sent", async () => {
    const prev = quiet();
    try {
      const client = new PandaProbe({ apiKey: "sk_pp_test", endpoint: "http://127.0.0.1:9" });
      client.startTrace("lost").end();
      const expected = {
        ok: false,
        sent: 0,
        disabled: "no project name (set PANDAPROBE_PROJECT_NAME or pass projectName)",
      };
      expect(await client.flush()).toMatchObject(expected);
      expect(await client.shutdown()).toMatchObject(expected);
    } finally {
      logger.setSink(prev);
    }
  });

  it("no API key: the global flush() reports it", async () => {
    const prev = quiet();
    try {
      init({ projectName: "demo", endpoint: "http://127.0.0.1:9" });
      expect(await flush()).toMatchObject({ ok: false, disabled: expect.stringMatching(/^no API key/) });
    } finally {
      logger.setSink(prev);
    }
  });

  it("disabled on purpose (PANDAPROBE_ENABLED=false / enabled: false): ok, and says it is disabled", async () => {
    const client = new PandaProbe({ enabled: false });
    expect(await client.flush()).toEqual({
      ok: true,
      timedOut: false,
      sent: 0,
      failed: 0,
      dropped: 0,
      pending: 0,
      disabled: "disabled by configuration",
    });
  });

  it("a working client's result has no disabled field", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    client.startTrace("sent").end();
    const result = await client.flush();
    expect(result).toMatchObject({ ok: true, sent: 1 });
    expect(result).not.toHaveProperty("disabled");
    await client.shutdown();
  });
});

describe("global client", () => {
  it("auto-initialises from env on first use, and picks up env set later", async () => {
    const prev = quiet();
    try {
      expect(process.env.PANDAPROBE_API_KEY).toBeUndefined();
      init({ enabled: false });
      const disabled = getClient();
      expect(disabled.enabled).toBe(false);
      standIn = await startStandIn();
      process.env.PANDAPROBE_API_KEY = standIn.apiKey;
      process.env.PANDAPROBE_PROJECT_NAME = standIn.projectName;
      process.env.PANDAPROBE_ENDPOINT = standIn.url;
      // An explicit init() stays until replaced...
      expect(getClient()).toBe(disabled);
      // ...an env-built client is rebuilt when the env gains a key.
      Object.assign((globalThis as Record<symbol, { global: object }>)[Symbol.for("pandaprobe.sdk.v1")].global, {
        client: undefined,
        options: undefined,
      });
      delete process.env.PANDAPROBE_API_KEY;
      const envless = getClient();
      expect(envless.enabled).toBe(false);
      process.env.PANDAPROBE_API_KEY = standIn.apiKey;
      const auto = getClient();
      expect(auto).not.toBe(envless);
      expect(auto.enabled).toBe(true);
      expect(getClient()).toBe(auto);
      startTrace("from-env").end();
      await auto.flush();
      expect((await standIn.waitForTraces(1))[0].name).toBe("from-env");
    } finally {
      process.env.PANDAPROBE_ENDPOINT = "http://127.0.0.1:9";
      logger.setSink(prev);
    }
  });

  it("after shutdown(), a trace gets a fresh global client configured as init() did (a warm serverless invocation keeps recording)", async () => {
    standIn = await startStandIn();
    const first = init({ ...standIn.clientOptions, flushIntervalMs: 60_000 });
    startTrace("before").end();
    expect(await shutdown()).toMatchObject({ ok: true, sent: 1 });
    expect(first.enabled).toBe(false);
    startTrace("after").end();
    const second = getClient();
    expect(second).not.toBe(first);
    expect(second.enabled).toBe(true);
    expect(second.config.endpoint).toBe(first.config.endpoint);
    expect(await second.flush()).toMatchObject({ ok: true, sent: 1 });
    expect((await standIn.waitForTraces(2)).map((t) => t.name).sort()).toEqual(["after", "before"]);
  });

  it("init() replaces the global client and flushes the previous one", async () => {
    standIn = await startStandIn();
    const first = init({ ...standIn.clientOptions, flushIntervalMs: 60_000 });
    startTrace("on-first").end();
    const second = init({ ...standIn.clientOptions, flushIntervalMs: 60_000 });
    expect(getClient()).toBe(second);
    expect(first.enabled).toBe(false);
    expect((await standIn.waitForTraces(1))[0].name).toBe("on-first");
  });
});

describe("onError and guard", () => {
  it("reports a final failure after retries are exhausted (never silently)", async () => {
    standIn = await startStandIn();
    standIn.faults.failWhile(500);
    const { client, errors } = clientFor(standIn, { maxRetries: 2 });
    client.startTrace("doomed").end();
    const res = await client.flush();
    expect(res).toMatchObject({ failed: 1, pending: 0 });
    expect(errors.filter((e) => !e.final)).toHaveLength(2);
    expect(errors.at(-1)).toMatchObject({ final: true, status: 500, kind: "http" });
    expect(errors.at(-1)!.message).toContain("failed after 3 attempts");
    expect(client.stats().failedByReason).toMatchObject({ retries_exhausted: 1 });
  });

  it("guard returns the fallback, logs once per label, and reports to onError", () => {
    const warn = vi.fn();
    const prev = logger.setSink({ debug() {}, warn, error() {} });
    const errors: unknown[] = [];
    const client = new PandaProbe({ apiKey: "k", projectName: "p", onError: (e) => errors.push(e) });
    try {
      expect(
        guard(
          "unit-hook",
          () => {
            throw new Error("bad hook");
          },
          7,
        ),
      ).toBe(7);
      expect(
        guard(
          "unit-hook",
          () => {
            throw new Error("bad hook");
          },
          8,
        ),
      ).toBe(8);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(errors).toHaveLength(2);
      expect(errors[0]).toMatchObject({ kind: "internal" });
    } finally {
      logger.setSink(prev);
      void client.shutdown();
    }
  });

  it("warns about the messages convention at most once per kind, for LLM spans only (not for traced functions)", async () => {
    const warn = vi.fn();
    const prev = logger.setSink({ debug() {}, warn, error() {} });
    try {
      standIn = await startStandIn();
      const { client } = clientFor(standIn);
      for (let i = 0; i < 5; i++) {
        const t = client.startTrace("plain", { input: "not messages" });
        t.startSpan("llm", { kind: "LLM", input: "not messages" }).end({ output: 42 });
        t.startSpan("tool", { kind: "TOOL", input: "not messages" }).end({ output: 42 });
        t.end({ output: 42 });
      }
      await trace((n: number) => n * 2, { name: "double", client })(21);
      await client.flush();
      const schemaWarnings = warn.mock.calls.filter((c) => String(c[0]).includes("messages convention"));
      expect(schemaWarnings.map((c) => String(c[0]).match(/\] (.*?) does not/)?.[1])).toEqual([
        "LLM span input",
        "LLM span output",
      ]);
    } finally {
      logger.setSink(prev);
    }
  });
});

describe("integration-author API", () => {
  it("startInactiveSpan parents to the current span and is not made current", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    client.startTrace("t", {}, () =>
      startSpan("parent", {}, (parent) => {
        const child = startInactiveSpan("child", { kind: "LLM" });
        expect(getCurrentSpan()).toBe(parent);
        expect(child.parentId).toBe(parent.id);
        child.end();
      }),
    );
    await client.flush();
    const [t] = await standIn.waitForTraces(1);
    expect(t.spans.map((s) => s.name).sort()).toEqual(["child", "parent"]);
  });

  it("registerContextResolver supplies the current span when the context has none", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    const t = client.startTrace("framework-run");
    const node = t.startSpan("node");
    const unregister = registerContextResolver(() => node);
    try {
      startSpan("inside-node", { kind: "TOOL" }, () => undefined);
    } finally {
      unregister();
    }
    startSpan("after", { kind: "TOOL", trace: { client } }, () => undefined);
    node.end();
    t.end();
    await client.flush();
    const traces = await standIn.waitForTraces(2);
    const run = traces.find((x) => x.name === "framework-run")!;
    const inside = run.spans.find((s) => s.name === "inside-node")!;
    expect(inside.parent_span_id).toBe(node.id);
    expect(traces.find((x) => x.name === "after")).toBeTruthy();
  });

  it("a throwing resolver is ignored", () => {
    const prev = quiet();
    const unregister = registerContextResolver(() => {
      throw new Error("resolver bug");
    });
    try {
      expect(getCurrentSpan()).toBeUndefined();
    } finally {
      unregister();
      logger.setSink(prev);
    }
  });
});

describe("getCurrentContext", () => {
  const four = () => ({
    span: getCurrentSpan(),
    trace: getCurrentTrace(),
    userId: getCurrentUserId(),
    sessionId: getCurrentSessionId(),
  });

  it("gives what the four getters give: empty, trace, span, resolver span, resolver under a span, detached", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    const seen: Array<ReturnType<typeof four>> = [];
    const check = () => {
      const one = getCurrentContext();
      expect({ ...one }).toEqual(four());
      seen.push(four());
    };
    check();
    await user("u1", () =>
      session("s1", () =>
        client.startTrace("request", {}, (t) => {
          check();
          startSpan("outer", {}, (outer) => {
            check();
            const node = outer.startSpan("node");
            const unregister = registerContextResolver(() => node);
            try {
              check();
              withSpan(undefined, check);
            } finally {
              unregister();
              node.end();
            }
          });
          const free = t.startSpan("free");
          const unregister = registerContextResolver(() => free);
          try {
            withSpan(undefined, check);
          } finally {
            unregister();
            free.end();
          }
        }),
      ),
    );
    expect(seen.map((c) => [c.span?.name ?? null, c.trace?.name ?? null, c.userId ?? null])).toEqual([
      [null, null, null],
      [null, "request", "u1"],
      ["outer", "request", "u1"],
      ["node", "request", "u1"],
      [null, null, "u1"],
      [null, null, "u1"],
    ]);
  });

  it("outside any scope: a resolver's span still counts, and nothing leaks between reads", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    const empty = getCurrentContext();
    expect({ ...empty }).toEqual({ span: undefined, trace: undefined, userId: undefined, sessionId: undefined });
    const t = client.startTrace("framework-run");
    const node = t.startSpan("node");
    const unregister = registerContextResolver(() => node);
    try {
      const one = getCurrentContext();
      expect({ ...one }).toEqual(four());
      expect(one.span).toBe(node);
      expect(one.trace).toBe(t);
    } finally {
      unregister();
      node.end();
      t.end();
    }
    expect({ ...getCurrentContext() }).toEqual({
      span: undefined,
      trace: undefined,
      userId: undefined,
      sessionId: undefined,
    });
  });
});

describe("framework context inside a context span", () => {
  it("prefers a resolver's span that descends from the context's span, and keeps a deeper context span", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    await client.startTrace("request", {}, () =>
      startSpan("request-span", {}, (outer) => {
        const node = outer.startSpan("node"); // what a framework handler would create under the context span
        const unregister = registerContextResolver(() => node);
        try {
          expect(getCurrentSpan()).toBe(node);
          startSpan("inside-node", {}, (inner) => {
            expect(getCurrentSpan()).toBe(inner); // deeper than the resolver's span: the context wins
          });
        } finally {
          unregister();
          node.end();
        }
      }),
    );
    await client.flush();
    const [t] = await standIn.waitForTraces(1);
    const by = Object.fromEntries(t.spans.map((s) => [s.name, s]));
    expect(by["inside-node"].parent_span_id).toBe(by.node.span_id);
  });
});
