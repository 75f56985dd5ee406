import { afterEach, describe, expect, it } from "vitest";
import {
  getCurrentSessionId,
  getCurrentSpan,
  getCurrentTrace,
  getCurrentUserId,
  session,
  setSession,
  setUser,
  startSpan,
  user,
  withSpan,
} from "../src/index.js";
import { createSyncStore } from "../src/context/async-context.js";
import { contextStore } from "../src/context/frame.js";
import { clientFor, startStandIn, type StandIn } from "./helpers.js";

let standIn: StandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe("user and session context", () => {
  it("uses AsyncLocalStorage on Node", () => {
    expect(contextStore().kind).toBe("async-local-storage");
  });

  it("scopes nest, restore the outer value, and return fn's result (sync and async)", async () => {
    expect(getCurrentUserId()).toBeUndefined();
    const r = user("outer", () => {
      expect(getCurrentUserId()).toBe("outer");
      const inner = user("inner", () => getCurrentUserId());
      expect(inner).toBe("inner");
      expect(getCurrentUserId()).toBe("outer");
      return 42;
    });
    expect(r).toBe(42);
    expect(getCurrentUserId()).toBeUndefined();
    const v = await session("s1", async () => {
      await tick();
      const nested = await session("s2", async () => {
        await tick();
        return getCurrentSessionId();
      });
      expect(nested).toBe("s2");
      await tick();
      return getCurrentSessionId();
    });
    expect(v).toBe("s1");
    expect(getCurrentSessionId()).toBeUndefined();
  });

  it("setUser/setSession apply to the current async context only, from then on", async () => {
    const seen = await Promise.all(
      ["a", "b", "c"].map(async (id) => {
        await tick();
        setUser(`user-${id}`);
        setSession(`session-${id}`);
        await tick(1);
        return [getCurrentUserId(), getCurrentSessionId()];
      }),
    );
    expect(seen).toEqual([
      ["user-a", "session-a"],
      ["user-b", "session-b"],
      ["user-c", "session-c"],
    ]);
    expect(getCurrentUserId()).toBeUndefined();
  });

  it("propagates errors unchanged", () => {
    const err = new Error("x");
    expect(() =>
      user("u", () => {
        throw err;
      }),
    ).toThrow(err);
    expect(getCurrentUserId()).toBeUndefined();
  });

  it("the sync fallback store restores values around calls", () => {
    const store = createSyncStore<number>();
    expect(store.run(1, () => store.run(2, () => store.get()))).toBe(2);
    expect(store.get()).toBeUndefined();
    expect(() =>
      store.run(3, () => {
        throw new Error("e");
      }),
    ).toThrow("e");
    expect(store.get()).toBeUndefined();
  });
});

describe("attribution under concurrency (stand-in)", () => {
  it("1,000 interleaved async flows with distinct users and sessions: 0 misattributions", async () => {
    standIn = await startStandIn({ traceRateLimit: { limit: 100_000, windowMs: 60_000 } });
    const { client } = clientFor(standIn, { maxQueueSize: 5000, concurrency: 8 });
    const N = 1000;
    await Promise.all(
      Array.from({ length: N }, (_, i) =>
        user(`user-${i}`, () =>
          session(`session-${i % 97}-${i}`, async () => {
            await tick(i % 7);
            return client.startTrace(`flow-${i}`, {}, async (t) => {
              await startSpan("outer", { kind: "AGENT" }, async (outer) => {
                await tick(i % 3);
                await Promise.all([
                  startSpan("left", { kind: "TOOL" }, async () => {
                    await tick(i % 5);
                    expect(getCurrentSpan()?.name).toBe("left");
                  }),
                  startSpan("right", { kind: "LLM" }, async () => {
                    await tick(i % 4);
                    expect(getCurrentTrace()).toBe(t);
                  }),
                ]);
                expect(getCurrentSpan()).toBe(outer);
              });
            });
          }),
        ),
      ),
    );
    const res = await client.flush({ timeoutMs: 30_000 });
    expect(res.pending).toBe(0);
    const traces = await standIn.waitForTraces(N, { timeoutMs: 30_000 });
    let wrong = 0;
    for (const t of traces) {
      const i = Number(t.name.split("-")[1]);
      if (t.user_id !== `user-${i}` || t.session_id !== `session-${i % 97}-${i}`) wrong++;
      const byName = Object.fromEntries(t.spans.map((s) => [s.name, s]));
      if (byName.left.parent_span_id !== byName.outer.span_id || byName.right.parent_span_id !== byName.outer.span_id)
        wrong++;
      if (byName.outer.parent_span_id !== undefined && byName.outer.parent_span_id !== null) wrong++;
    }
    expect(traces).toHaveLength(N);
    expect(wrong).toBe(0);
  });

  it("explicit ids beat the context; the context fills in the rest", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    user("ctx-user", () =>
      session("ctx-session", () => {
        client.startTrace("explicit", { userId: "arg-user" }).end();
        client.startTrace("ambient").end();
      }),
    );
    await client.flush();
    const traces = await standIn.waitForTraces(2);
    const by = Object.fromEntries(traces.map((t) => [t.name, t]));
    expect(by.explicit).toMatchObject({ user_id: "arg-user", session_id: "ctx-session" });
    expect(by.ambient).toMatchObject({ user_id: "ctx-user", session_id: "ctx-session" });
  });

  it("startSpan with no active trace makes a standalone trace; withSpan(undefined) detaches", async () => {
    standIn = await startStandIn();
    const { client } = clientFor(standIn);
    await startSpan(
      "lonely",
      {
        kind: "LLM",
        input: {
          messages: [
            { role: "system", content: "s" },
            { role: "user", content: "hi" },
          ],
        },
        trace: { client, userId: "u1" },
      },
      async (span) => {
        span.setOutput({ messages: [{ role: "assistant", content: "hello" }] });
        await withSpan(undefined, async () => {
          expect(getCurrentSpan()).toBeUndefined();
          await startSpan("detached", { trace: { client } }, async () => tick());
        });
      },
    );
    await client.flush();
    const traces = await standIn.waitForTraces(2);
    const lonely = traces.find((t) => t.name === "lonely")!;
    expect(lonely).toMatchObject({
      user_id: "u1",
      input: { messages: [{ role: "user", content: "hi" }] },
      output: { messages: [{ role: "assistant", content: "hello" }] },
    });
    expect(lonely.spans).toHaveLength(1);
    expect(traces.find((t) => t.name === "detached")!.spans).toHaveLength(1);
  });
});
