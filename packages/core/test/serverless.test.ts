/**
 * Serverless delivery: a handler that returns without awaiting anything still delivers its trace before the platform
 * freezes the function. The freeze is simulated deterministically: the harness, like the platform, runs the handler,
 * reads its response, then awaits only the promises registered with `waitUntil` (Lambda: only the handler's own
 * promise), and then looks at the stand-in at once, synchronously, with no further turn of the event loop. A trace
 * not delivered by then would be lost on a real platform.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { waitUntil as vercelWaitUntil } from "@vercel/functions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  flush,
  init,
  score,
  session,
  shutdown,
  startTrace,
  withSpan,
  withTrace,
  user,
  type WaitUntil,
  withWaitUntil,
  wrapLambda,
  wrapWorker,
} from "../src/index.js";
import { createSyncStore } from "../src/context/async-context.js";
import { logger } from "../src/integration/index.js";
import { timeoutFor } from "../src/serverless/lambda.js";
import { startStandIn, type StandIn } from "./helpers.js";

/** Where Vercel's runtime puts the request context (what @vercel/functions' getContext() and waitUntil() read). */
const SYMBOL_FOR_REQ_CONTEXT = Symbol.for("@vercel/request-context");
let standIn: StandIn;
const carrier = () => (globalThis as unknown as Record<symbol, Record<string, any>>)[Symbol.for("pandaprobe.sdk.v1")];
/** Batching that would hold a trace for a minute: only a registered delivery (or a flush) sends it sooner. */
const slow = () => ({ ...standIn.clientOptions, flushIntervalMs: 60_000, batchSize: 100 });
const tick = () => new Promise((r) => setTimeout(r, 1));

beforeEach(async () => {
  standIn = await startStandIn();
});
afterEach(async () => {
  for (const key of [SYMBOL_FOR_REQ_CONTEXT, Symbol.for("@next/request-context")])
    delete (globalThis as Record<symbol, unknown>)[key];
  await shutdown({ timeoutMs: 100 });
  Object.assign(carrier().global, { client: undefined, options: undefined, autoFingerprint: undefined });
  await standIn.close();
});

/**
 * A platform invocation: `handler` runs with `waitUntil` offered (as `run` provides it), its response body is read,
 * the promises registered with `waitUntil` are awaited (those registered meanwhile too), and nothing else.
 * Returns what the stand-in holds at that instant.
 */
async function invoke(
  run: (waitUntil: WaitUntil, handler: () => Promise<Response>) => Promise<Response>,
  handler: () => Promise<Response>,
): Promise<{ body: string; registered: number; traces: ReturnType<StandIn["traces"]> }> {
  const registered: Promise<unknown>[] = [];
  const response = await run((p) => void registered.push(p), handler);
  const body = await response.text();
  for (let i = 0; i < registered.length; i++) await registered[i];
  return { body, registered: registered.length, traces: standIn.traces() };
}

/** Vercel's runtime: `@vercel/request-context` on globalThis answers the current request's context. */
function vercelRuntime(): (waitUntil: WaitUntil, handler: () => Promise<Response>) => Promise<Response> {
  const als = new AsyncLocalStorage<{ waitUntil: WaitUntil }>();
  (globalThis as Record<symbol, unknown>)[SYMBOL_FOR_REQ_CONTEXT] = { get: () => als.getStore() };
  return (waitUntil, handler) => als.run({ waitUntil }, handler);
}

/**
 * A route handler: its traced work (nested spans across await) gives the response, and nothing is awaited for
 * delivery (no flush()).
 */
const routeHandler = async () => {
  const answer = await user("u-1", () =>
    session("s-1", () =>
      withTrace("route", async () => {
        await tick();
        return withSpan("step", async () => {
          await tick();
          return "ok";
        });
      }),
    ),
  );
  return new Response(answer);
};

describe("Vercel (the request context @vercel/functions reads)", () => {
  it("a handler that returns without awaiting delivers its trace before the freeze", async () => {
    init(slow());
    const run = vercelRuntime();
    const { body, registered, traces } = await invoke(run, async () => {
      // The harness provides the context exactly where @vercel/functions looks for it: its waitUntil lands there.
      vercelWaitUntil(Promise.resolve("the app's own"));
      return routeHandler();
    });
    expect(body).toBe("ok");
    expect(registered).toBe(2); // the app's own, and the trace's delivery
    expect(traces.map((t) => [t.name, t.user_id, t.session_id, t.spans.map((s) => s.name)])).toEqual([
      ["route", "u-1", "s-1", ["step"]],
    ]);
    expect(standIn.schemaErrors()).toEqual([]);
  });

  it("without a request context the same handler's trace is still queued at the freeze (the control)", async () => {
    init(slow());
    const { registered, traces } = await invoke((_w, handler) => handler(), routeHandler);
    expect({ registered, traces }).toEqual({ registered: 0, traces: [] });
  });

  it("a streamed response whose trace ends after the handler returned is delivered too", async () => {
    init(slow());
    const run = vercelRuntime();
    const { body, traces } = await invoke(run, async () => {
      const trace = startTrace("stream");
      const parts = ["a", "b", "c"];
      const stream = new ReadableStream<string>({
        async pull(controller) {
          await tick();
          const next = parts.shift();
          if (next) controller.enqueue(next);
          else {
            trace.end({ output: "abc" });
            controller.close();
          }
        },
      });
      return new Response(stream.pipeThrough(new TextEncoderStream()));
    });
    expect(body).toBe("abc");
    expect(traces.map((t) => [t.name, t.output])).toEqual([["stream", "abc"]]);
  });

  it("a score and the handler's own waitUntil(flush()) are delivered alongside", async () => {
    init(slow());
    const run = vercelRuntime();
    const { traces } = await invoke(run, async () => {
      const trace = startTrace("scored");
      trace.end();
      score({ traceId: trace.id, name: "quality", value: 1 });
      vercelWaitUntil(flush());
      return new Response("ok");
    });
    expect(traces.map((t) => t.name)).toEqual(["scored"]);
    expect(standIn.scores().map((s) => [s.name, s.value])).toEqual([["quality", "1"]]);
  });
});

describe("Next.js (after() is backed by the host's request context)", () => {
  it("@next/request-context (Netlify, OpenNext): delivered before the freeze", async () => {
    init(slow());
    const als = new AsyncLocalStorage<{ waitUntil: WaitUntil }>();
    (globalThis as Record<symbol, unknown>)[Symbol.for("@next/request-context")] = { get: () => als.getStore() };
    const { traces } = await invoke((waitUntil, handler) => als.run({ waitUntil }, handler), routeHandler);
    expect(traces.map((t) => t.name)).toEqual(["route"]);
  });

  it("init({ waitUntil: after }): an after() that throws outside a request is harmless", async () => {
    const requests = new AsyncLocalStorage<{ waitUntil: WaitUntil }>();
    // after() as Next.js defines it: callable only inside a request, takes a promise.
    const after = (task: Promise<unknown>) => {
      const store = requests.getStore();
      if (!store) throw new Error("`after` was called outside a request scope");
      store.waitUntil(task);
    };
    init({ ...slow(), waitUntil: after });
    startTrace("outside-any-request").end();
    const { registered, traces } = await invoke(
      (waitUntil, handler) => requests.run({ waitUntil }, handler),
      routeHandler,
    );
    expect(registered).toBe(1);
    expect(traces.map((t) => t.name)).toContain("route");
    // The trace that could not be registered is queued as usual, not lost.
    expect(await flush()).toMatchObject({ ok: true });
    expect(
      standIn
        .traces()
        .map((t) => t.name)
        .sort(),
    ).toEqual(["outside-any-request", "route"]);
  });
});

/** What workerd passes as `ctx`: its waitUntil must be called on it (an unbound call throws "Illegal invocation"). */
class ExecutionContext {
  readonly promises: Promise<unknown>[] = [];
  waitUntil(promise: Promise<unknown>): void {
    if (!(this instanceof ExecutionContext)) throw new TypeError("Illegal invocation");
    this.promises.push(promise);
  }
  passThroughOnException(): void {}
}

describe("Cloudflare Workers: wrapWorker(handler)", () => {
  it("sets the client up from the env bindings and delivers what a fetch handler left, before the freeze", async () => {
    const worker = wrapWorker({
      async fetch(request: Request, env: Record<string, unknown>, _ctx: ExecutionContext) {
        void withTrace("worker", { input: new URL(request.url).pathname }, (t) => t.startSpan(String(env.STEP)).end());
        return new Response("ok");
      },
    });
    const env = {
      PANDAPROBE_API_KEY: standIn.apiKey,
      PANDAPROBE_PROJECT_NAME: standIn.projectName,
      PANDAPROBE_ENDPOINT: standIn.url,
      PANDAPROBE_FLUSH_INTERVAL: "60",
      STEP: "step",
      KV: { get() {} },
    };
    const ctx = new ExecutionContext();
    const { traces } = await invoke(
      (waitUntil, handler) => {
        const registered = ctx.promises;
        const result = handler();
        // workerd's ctx, handed to the wrapper: pass its promises on to the harness.
        return result.finally(() => {
          for (const p of registered) waitUntil(p);
        });
      },
      () => worker.fetch(new Request("http://worker.test/path"), env, ctx),
    );
    expect(traces.map((t) => [t.name, t.input, t.spans.map((s) => s.name)])).toEqual([["worker", "/path", ["step"]]]);
  });

  it("returns a handler of the same shape: other properties kept, methods called on it, errors unchanged", async () => {
    init(slow());
    const boom = new Error("boom");
    const handler = {
      name: "kept",
      async fetch(this: { name: string }) {
        return new Response(this.name);
      },
      async scheduled() {
        throw boom;
      },
    };
    const worker = wrapWorker(handler);
    expect(Object.keys(worker)).toEqual(["name", "fetch", "scheduled"]);
    expect(worker.name).toBe("kept");
    expect(await (await worker.fetch()).text()).toBe("kept");
    await expect((worker.scheduled as (...a: unknown[]) => Promise<void>)({}, {}, new ExecutionContext())).rejects.toBe(
      boom,
    );
  });
});

describe("where context cannot follow await (no AsyncLocalStorage)", () => {
  it("withWaitUntil registers what is pending when the handler settles, so spans lost to an await still arrive", async () => {
    const holder = carrier().contextHolder as { store: unknown };
    const previous = holder.store;
    const lines: string[] = [];
    const prev = logger.setSink({ debug() {}, warn: (m: string) => lines.push(m), error() {} });
    logger.resetOnce();
    holder.store = createSyncStore();
    try {
      init(slow());
      const { traces } = await invoke(
        (waitUntil, handler) => withWaitUntil(waitUntil, handler),
        async () => {
          await withTrace("request", async () => {
            await tick();
            withSpan("after-await", () => {});
          });
          return new Response("ok");
        },
      );
      expect(traces.map((t) => t.name).sort()).toEqual(["after-await", "request"]);
      expect(lines.filter((l) => /no AsyncLocalStorage/.test(l))).toEqual([
        expect.stringContaining("context does not follow await"),
        expect.stringContaining('span "after-await" started outside any trace'),
      ]);
    } finally {
      holder.store = previous;
      logger.setSink(prev);
    }
  });
});

describe("AWS Lambda: wrapLambda(handler)", () => {
  it("flushes before the handler's promise settles: the trace is there at the freeze", async () => {
    init(slow());
    const handler = wrapLambda(async (event: { id: string }) => {
      withTrace("lambda", { input: event }, (t) => t.startSpan("work").end());
      return { statusCode: 200, body: event.id };
    });
    // The Lambda runtime awaits the handler's promise, then freezes.
    const result = await handler({ id: "e-1" }, { getRemainingTimeInMillis: () => 30_000 } as never);
    const traces = standIn.traces();
    expect(result).toEqual({ statusCode: 200, body: "e-1" });
    expect(traces.map((t) => [t.name, t.input, t.spans.map((s) => s.name)])).toEqual([
      ["lambda", { id: "e-1" }, ["work"]],
    ]);
    expect(handler.length).toBe(2);
  });

  it("without the wrapper the trace is still queued at the freeze (the control)", async () => {
    init(slow());
    const handler = async () => {
      startTrace("lambda").end();
      return "done";
    };
    expect(await handler()).toBe("done");
    expect(standIn.traces()).toEqual([]);
  });

  it("re-throws the handler's error unchanged, after the flush", async () => {
    init(slow());
    const boom = new Error("boom");
    const handler = wrapLambda(async () => {
      startTrace("failing").end();
      throw boom;
    });
    await expect(handler({}, {})).rejects.toBe(boom);
    expect(standIn.traces().map((t) => t.name)).toEqual(["failing"]);
  });

  it("callback-style handlers: the callback is called after the flush, with the same arguments", async () => {
    init(slow());
    const handler = wrapLambda((event: number, _context: unknown, callback: (e: unknown, r: unknown) => void) => {
      startTrace("callback").end();
      callback(null, event + 1);
    });
    const [error, result, traces] = await new Promise<unknown[]>((resolve) =>
      handler(1, {}, (e, r) => resolve([e, r, standIn.traces().map((t) => t.name)])),
    );
    expect({ error, result, traces }).toEqual({ error: null, result: 2, traces: ["callback"] });
  });

  it("never waits past the invocation's remaining time (less a margin)", () => {
    expect(timeoutFor({ getRemainingTimeInMillis: () => 30_000 }, undefined)).toBe(10_000);
    expect(timeoutFor({ getRemainingTimeInMillis: () => 3_000 }, undefined)).toBe(2_500);
    expect(timeoutFor({ getRemainingTimeInMillis: () => 200 }, undefined)).toBe(0);
    expect(timeoutFor({}, 1_234)).toBe(1_234);
    expect(
      timeoutFor(
        {
          getRemainingTimeInMillis: () => {
            throw new Error("no");
          },
        },
        undefined,
      ),
    ).toBe(10_000);
  });
});
