import { describe, expect, it } from "vitest";
import { formatTraceTree } from "../src/format-tree.js";
import { startStandIn } from "../src/server.js";
import { call, span, trace } from "./helpers.js";

describe("formatTraceTree", () => {
  it("nests spans by parent_span_id with kind, model, usage and duration", async () => {
    const s = await startStandIn();
    try {
      const root = span({ name: "agent", kind: "AGENT", ended_at: "2026-03-01T10:00:02Z" });
      const llm = span({
        name: "chat",
        kind: "LLM",
        parent_span_id: root.span_id,
        model: "gpt-4o",
        started_at: "2026-03-01T10:00:00.5Z",
        ended_at: "2026-03-01T10:00:00.75Z",
        token_usage: { prompt_tokens: 10, completion_tokens: 5 },
      });
      const tool = span({
        name: "search",
        kind: "TOOL",
        parent_span_id: root.span_id,
        started_at: "2026-03-01T10:00:01Z",
        status: "ERROR",
        error: "boom",
      });
      const t = trace({ name: "support", user_id: "u1", session_id: "s1", spans: [tool, llm, root] });
      await call(s, "POST", "/traces", t);
      const [stored] = await s.waitForTraces(1);
      expect(formatTraceTree(stored)).toBe(
        [
          "support [COMPLETED] user=u1 session=s1 tokens=15",
          "└─ [AGENT] agent 2.00s",
          "   ├─ [LLM] chat model=gpt-4o tokens=10+5 250ms",
          "   └─ [TOOL] search (open) ERROR: boom",
        ].join("\n"),
      );
    } finally {
      await s.close();
    }
  });
});
