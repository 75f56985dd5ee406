/** Stand-in backend per test file, plus span-tree helpers over the payloads it received. */
import { afterAll, beforeAll, expect } from "vitest";
import type { PandaProbe } from "@pandaprobe/core";
import { createTestClient, startStandIn } from "@pandaprobe/testing";
import type { SpanResponse, StandIn, TraceResponse } from "@pandaprobe/testing";

export interface Harness {
  standIn: StandIn;
  client: PandaProbe;
  /** Flushes the client and waits for `n` traces carrying `tag` (the handler's constructor tag). */
  traces(tag: string, n?: number): Promise<TraceResponse[]>;
}

/** Starts one stand-in + client for the calling test file. */
export function useStandIn(): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    h.standIn = await startStandIn({ persistDelayMs: 0, traceRateLimit: false, defaultRateLimit: false });
    h.client = createTestClient(h.standIn);
    h.traces = async (tag, n = 1) => {
      await h.client.flush();
      const list = await h.standIn.waitForTraces(n, { filter: (t) => t.tags.includes(tag) });
      expect(list).toHaveLength(n);
      return list;
    };
  });
  afterAll(async () => {
    expect(h.standIn.schemaErrors()).toEqual([]);
    await h.client.shutdown();
    await h.standIn.close();
  });
  return h;
}

let seq = 0;
/** A tag unique to one test (traces are told apart by it). */
export const uniqueTag = (label: string) => `t-${label}-${++seq}`;

/** The spans of `trace` named `name` (in start order). */
export function spansNamed(trace: TraceResponse, name: string): SpanResponse[] {
  return sortByStart(trace.spans.filter((s) => s.name === name));
}

/** The one span named `name`. */
export function span(trace: TraceResponse, name: string): SpanResponse {
  const found = spansNamed(trace, name);
  expect(found, `exactly one span named ${name}`).toHaveLength(1);
  return found[0];
}

/** Children of `parent` (or root spans when undefined), in start order. */
export function childrenOf(trace: TraceResponse, parent: SpanResponse | undefined): SpanResponse[] {
  return sortByStart(trace.spans.filter((s) => (s.parent_span_id ?? undefined) === parent?.span_id));
}

/** Names of the children of `parent`. */
export const childNames = (trace: TraceResponse, parent: SpanResponse | undefined) =>
  childrenOf(trace, parent).map((s) => s.name);

/** The single root span. */
export function rootSpan(trace: TraceResponse): SpanResponse {
  const roots = childrenOf(trace, undefined);
  expect(roots).toHaveLength(1);
  return roots[0];
}

function sortByStart(list: SpanResponse[]): SpanResponse[] {
  return [...list].sort((a, b) => Date.parse(a.started_at) - Date.parse(b.started_at));
}

/** Compact `name(KIND)` tree, for readable assertions: `["root(AGENT)", "  write(CHAIN)", ...]`. */
export function outline(trace: TraceResponse): string[] {
  const out: string[] = [];
  const walk = (parent: SpanResponse | undefined, depth: number) => {
    for (const s of childrenOf(trace, parent)) {
      out.push(`${"  ".repeat(depth)}${s.name}(${s.kind})`);
      walk(s, depth + 1);
    }
  };
  walk(undefined, 0);
  return out;
}
