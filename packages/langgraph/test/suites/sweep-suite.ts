/** Runs LangChain never ends are closed by the kit's stale-call sweep (fake timers, no sleeping). */
import { rootSpan } from "@pandaprobe/testing";
import { type Harness, itClosesAbandonedCalls, uniqueTag } from "@pandaprobe/testing/vitest";
import { describe, expect, it, vi } from "vitest";
import { LangGraphCallbackHandler } from "../../src/index.js";
import type { Frameworks } from "../support/frameworks.js";

export function sweepSuite(fw: Frameworks, h: Harness): void {
  describe(`stale-call sweep (${fw.label})`, () => {
    /** A chat model run that streamed one token and was never ended by LangChain (an abandoned stream). */
    const abandon = (handler: LangGraphCallbackHandler, runId: string) => {
      handler.handleChatModelStart(
        { id: ["x", "Abandoned"] },
        [[new fw.HumanMessage("hi")]],
        runId,
        undefined,
        {},
        [],
        {},
        "abandoned-stream",
      );
      handler.handleLLMNewToken("H", { prompt: 0, completion: 0 }, runId);
    };

    it("a run that never ends is closed as ERROR and its trace sent; the handler forgets it (runTtlMs still works)", async () => {
      const tag = uniqueTag("sweep");
      const runId = "0b9c4f2e-5d1a-4c3b-9e8f-7a6b5c4d3e2f";
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
      let handler: LangGraphCallbackHandler;
      try {
        handler = new LangGraphCallbackHandler({ client: h.client, tags: [tag], runTtlMs: 1_000 });
        abandon(handler, runId);
        vi.advanceTimersByTime(900);
        expect(handler.openCalls).toBe(1);
        vi.advanceTimersByTime(1_200);
        expect(handler.openCalls).toBe(0);
      } finally {
        vi.useRealTimers();
      }
      const [trace] = await h.tagged(tag);
      expect(trace.status).toBe("ERROR");
      expect(rootSpan(trace).span_id).toBe(runId);
      expect(rootSpan(trace).status).toBe("ERROR");
      expect(rootSpan(trace).error).toContain("did not end");
      expect(rootSpan(trace).completion_start_time).not.toBeNull();
      // A late End for the swept run is ignored.
      expect(() => handler.handleLLMEnd({ generations: [] }, runId)).not.toThrow();
    });

    itClosesAbandonedCalls(`LangGraph (${fw.label}): a run LangChain never ends`, {
      rootName: "abandoned-stream",
      abandon: ({ client, staleCallTimeoutMs }) =>
        abandon(new LangGraphCallbackHandler({ client, staleCallTimeoutMs }), crypto.randomUUID()),
    });
  });
}
