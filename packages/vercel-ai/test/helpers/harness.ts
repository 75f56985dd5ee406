import { startStandIn, createTestClient } from "@pandaprobe/testing";
import type { PandaProbe } from "@pandaprobe/core";

type StandIn = Awaited<ReturnType<typeof startStandIn>>;
export type StoredTrace = Awaited<ReturnType<StandIn["waitForTraces"]>>[number];
export type StoredSpan = StoredTrace["spans"][number];

/** A stand-in backend plus a client pointed at it, shared by one test file. */
export interface Harness {
  standIn: StandIn;
  client: PandaProbe;
  /** Flushes the client and waits for `n` new traces (in order of arrival). */
  collect(n: number): Promise<StoredTrace[]>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const standIn = await startStandIn({ persistDelayMs: 0 });
  const client = createTestClient(standIn, {});
  let seen = 0;
  return {
    standIn,
    client,
    async collect(n) {
      await client.flush();
      const all = await standIn.waitForTraces(seen + n, { timeoutMs: 5000 });
      const fresh = all.slice(seen);
      seen = all.length;
      return fresh;
    },
    async close() {
      await client.shutdown();
      await standIn.close();
    },
  };
}

export function spansOf(trace: StoredTrace, predicate: (s: StoredSpan) => boolean): StoredSpan[] {
  return trace.spans.filter(predicate);
}

export function byName(trace: StoredTrace, name: string): StoredSpan[] {
  return spansOf(trace, (s) => s.name === name);
}

export function one(trace: StoredTrace, name: string): StoredSpan {
  const found = byName(trace, name);
  if (found.length !== 1)
    throw new Error(`expected one span "${name}", got ${found.length}: ${trace.spans.map((s) => s.name).join(", ")}`);
  return found[0];
}

export function childrenOf(trace: StoredTrace, parent: StoredSpan): StoredSpan[] {
  return trace.spans
    .filter((s) => s.parent_span_id === parent.span_id)
    .sort((a, b) => a.started_at.localeCompare(b.started_at));
}

/** `name(kind)` lines indented by depth, children in start order, for tree assertions. */
export function shape(trace: StoredTrace): string[] {
  const lines: string[] = [];
  const walk = (parentId: string | null, depth: number) => {
    const kids = trace.spans
      .filter((s) => (s.parent_span_id ?? null) === parentId)
      .sort((a, b) => a.started_at.localeCompare(b.started_at) || order(a) - order(b) || a.name.localeCompare(b.name));
    for (const s of kids) {
      lines.push(`${"  ".repeat(depth)}${s.name} (${s.kind}${s.status === "ERROR" ? ", ERROR" : ""})`);
      walk(s.span_id, depth + 1);
    }
  };
  walk(null, 0);
  return lines;
}

// Same-millisecond siblings: a model call is created before the tools it asks for.
const order = (s: StoredSpan) => (s.kind === "LLM" ? 0 : s.kind === "TOOL" ? 1 : 2);
