/**
 * Where the runtime has no AsyncLocalStorage (the synchronous fallback store, swapped in here as the packaging matrix
 * finds it on workerd without flags and on edge-runtime): said once at init(), and lost context named, never silent.
 * And the `asyncLocalStorage` option that ends it (Workers with nodejs_als).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { flush, init, PandaProbe, session, shutdown, startTrace, user, withSpan, withTrace } from "../src/index.js";
import { createSyncStore } from "../src/context/async-context.js";
import { contextStore } from "../src/context/frame.js";
import { resolveConfig } from "../src/config/resolve-config.js";
import { logger } from "../src/integration/index.js";
import { clientFor, startStandIn, type StandIn } from "./helpers.js";

/** The shared holder of the context store (created by the first contextStore() call). */
const holder = () => {
  contextStore();
  return (globalThis as unknown as Record<symbol, Record<string, { store: unknown }>>)[Symbol.for("pandaprobe.sdk.v1")]
    .contextHolder!;
};
const tick = () => new Promise((r) => setTimeout(r, 1));

let standIn: StandIn;
let lines: string[];
let restore: () => void;
beforeEach(async () => {
  standIn = await startStandIn();
  lines = [];
  const prev = logger.setSink({ debug() {}, warn: (m: string) => lines.push(m), error() {} });
  logger.resetOnce();
  const previous = holder().store;
  holder().store = createSyncStore();
  restore = () => {
    holder().store = previous;
    logger.setSink(prev);
  };
});
afterEach(async () => {
  await shutdown({ timeoutMs: 100 });
  restore();
  await standIn.close();
});

describe("no AsyncLocalStorage", () => {
  it("init() says so once, with what still works and the fix", () => {
    clientFor(standIn);
    clientFor(standIn);
    expect(lines).toEqual([expect.stringContaining("this runtime has no AsyncLocalStorage")]);
    expect(lines[0]).toMatch(/Exact everywhere: spans nested explicitly/);
    expect(lines[0]).toMatch(/asyncLocalStorage/);
  });

  it("traces degrade as documented: explicit nesting exact, a span after an await its own trace, both named", async () => {
    init(standIn.clientOptions);
    lines.length = 0;
    await user("u-1", () =>
      session("s-1", () =>
        withTrace("request", async (trace) => {
          trace.startSpan("explicit").end();
          await tick();
          withSpan("after-await", () => {});
          withTrace("child-request", () => {});
        }),
      ),
    );
    await flush();
    const traces = standIn.traces().map((t) => [t.name, t.user_id, t.session_id, t.spans.map((s) => s.name)]);
    expect(traces.sort()).toEqual([
      ["after-await", null, null, ["after-await"]],
      ["child-request", null, null, []],
      ["request", "u-1", "s-1", ["explicit"]],
    ]);
    expect(lines).toEqual([
      expect.stringContaining('span "after-await" started outside any trace'),
      expect.stringContaining('trace "child-request" started without a user or session'),
    ]);
  });

  it("says nothing where nothing was lost: scopes that are synchronous, or that have ended", async () => {
    init(standIn.clientOptions);
    lines.length = 0;
    user("u-1", () => withTrace("sync", () => withSpan("nested", () => {})));
    await user("u-2", async () => {
      await tick();
    });
    withSpan("standalone", () => {});
    startTrace("no-user").end();
    await flush();
    expect(
      standIn
        .traces()
        .map((t) => [t.name, t.user_id, t.spans.map((s) => s.name)])
        .sort(),
    ).toEqual([
      ["no-user", null, []],
      ["standalone", null, ["standalone"]],
      ["sync", "u-1", ["nested"]],
    ]);
    expect(lines).toEqual([]);
  });

  it("the asyncLocalStorage option (Workers with nodejs_als) carries context from then on, and nothing is said", async () => {
    const { client } = clientFor(standIn, { asyncLocalStorage: AsyncLocalStorage });
    expect(contextStore().kind).toBe("async-local-storage");
    await user("u-1", () =>
      withTrace("request", { client }, async () => {
        await tick();
        withSpan("after-await", () => {});
      }),
    );
    await client.flush();
    expect(standIn.traces().map((t) => [t.name, t.user_id, t.spans.map((s) => s.name)])).toEqual([
      ["request", "u-1", ["after-await"]],
    ]);
    expect(lines).toEqual([]);
  });

  it("an asyncLocalStorage that is not one is a configuration problem, and the store is left as it was", () => {
    const client = new PandaProbe({ ...standIn.clientOptions, asyncLocalStorage: {} as never });
    expect(client.enabled).toBe(false);
    expect(contextStore().kind).toBe("sync-fallback");
    expect(lines).toEqual([expect.stringContaining("asyncLocalStorage must be an AsyncLocalStorage class")]);
  });
});

describe("the env option (a Worker's bindings)", () => {
  it("reads PANDAPROBE_* from it instead of process.env; values that are not strings read as unset", () => {
    const { config, problems } = resolveConfig({
      env: { PANDAPROBE_API_KEY: "k", PANDAPROBE_PROJECT_NAME: "p", PANDAPROBE_BATCH_SIZE: 7 as never, KV: {} },
    });
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      apiKey: "k",
      projectName: "p",
      batchSize: 10,
      endpoint: "https://api.pandaprobe.com",
    });
  });
});
