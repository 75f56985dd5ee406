/** Runs LangChain never ends are swept after `runTtlMs` (fake timers, no sleeping). */
import { describe, expect, it, vi } from "vitest";
import { LangGraphCallbackHandler } from "../../src/index.js";
import type { Frameworks } from "./frameworks.js";
import { rootSpan, uniqueTag } from "./harness.js";
import type { Harness } from "./harness.js";

export function sweepSuite(fw: Frameworks, h: Harness): void {
  describe(`TTL sweep (${fw.label})`, () => {
    it("a run that never ends is closed as ERROR and its trace sent; the handler forgets it", async () => {
      const tag = uniqueTag("sweep");
      const runId = "0b9c4f2e-5d1a-4c3b-9e8f-7a6b5c4d3e2f";
      vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
      let handler: LangGraphCallbackHandler;
      try {
        handler = new LangGraphCallbackHandler({ client: h.client, tags: [tag], runTtlMs: 1_000 });
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
        vi.advanceTimersByTime(900);
        expect((handler as unknown as { tree: { roots: Map<string, unknown> } }).tree.roots.size).toBe(1);
        vi.advanceTimersByTime(1_200);
        expect((handler as unknown as { tree: { roots: Map<string, unknown> } }).tree.roots.size).toBe(0);
      } finally {
        vi.useRealTimers();
      }
      const [trace] = await h.traces(tag);
      expect(trace.status).toBe("ERROR");
      expect(rootSpan(trace).span_id).toBe(runId);
      expect(rootSpan(trace).status).toBe("ERROR");
      expect(rootSpan(trace).error).toContain("did not end");
      expect(rootSpan(trace).completion_start_time).not.toBeNull();
      // A late End for the swept run is ignored.
      expect(() => handler.handleLLMEnd({ generations: [] }, runId)).not.toThrow();
    });
  });
}
