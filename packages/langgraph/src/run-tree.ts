/**
 * Per-run state of one handler: every LangChain run id maps to the PandaProbe span it produced
 * (or, for hidden/plumbing runs, to the nearest emitted ancestor's span). A run without a known
 * parent is a root and owns a trace. Nothing here is shared between handler instances, and
 * nothing relies on "the current root": concurrent invocations only meet through the map.
 */
import { getCurrentSessionId, getCurrentSpan, getCurrentTrace, getCurrentUserId, startTrace } from "@pandaprobe/core";
import type { PandaProbe, Span, SpanKind, SpanOptions, Trace } from "@pandaprobe/core";
import { runIdentity, spanIdFor, threadIdOf, userMetadata, userTags } from "./run-info.js";
import { traceInputOf, traceOutputOf } from "./trace-io.js";

type Obj = Record<string, unknown>;

/** One trace (or one subtree nested under a caller's span) and the runs still open in it. */
export interface RootEntry {
  readonly rootRunId: string;
  /** Set when this root owns its trace; undefined when nested under an already active span. */
  readonly trace: Trace | undefined;
  readonly runIds: Set<string>;
  lastActivity: number;
  interrupts: unknown[] | undefined;
}

/** One open LangChain run. */
export interface RunEntry {
  readonly root: RootEntry;
  /** Our span for the run; undefined for hidden/plumbing runs. */
  readonly span: Span | undefined;
  /** Where children attach: the run's own span or the nearest emitted ancestor's. */
  readonly anchor: Span;
  readonly isNode: boolean;
  /** A node, or a hidden run inside one: plumbing-like children here are collapsed. */
  readonly nodeScope: boolean;
  firstToken: boolean;
}

/** Settings that shape every trace a handler starts. */
export interface TraceDefaults {
  userId?: string;
  sessionId?: string;
  tags?: string[];
  metadata?: Obj;
  client?: PandaProbe;
  threadIdAsSession: boolean;
  /** False when LangChain runs this handler in its background queue: the ambient context is not the run's then. */
  contextIsRuns: () => boolean;
}

/** What a Start callback asks for. */
export interface RunStart {
  runId: string;
  parentRunId: string | undefined;
  name: string;
  kind: SpanKind;
  /** False for hidden/plumbing runs (never emitted; children re-attach). */
  emit: boolean;
  isNode: boolean;
  span: Omit<SpanOptions, "kind" | "parent" | "spanId">;
  /** Raw run tags and metadata (used at the root for the trace). */
  tags: readonly string[] | undefined;
  metadata: Obj | undefined;
  /** Extra trace metadata when this run is a root (e.g. `langgraph_resume`). */
  traceMetadata?: Obj;
}

/** Span options of a run (the start object is ours, so it is completed in place). */
function spanOptions(s: RunStart): SpanOptions {
  const o = s.span as SpanOptions;
  o.kind = s.kind;
  o.spanId = spanIdFor(s.runId);
  return o;
}

/** Registry of open runs for one handler. */
export class RunTree {
  readonly runs = new Map<string, RunEntry>();
  readonly roots = new Map<string, RootEntry>();
  /** The id of the trace the last root run started (see `LangGraphCallbackHandler.lastTraceId`). */
  lastTraceId: string | undefined;

  constructor(private readonly defaults: TraceDefaults) {}

  /** Records a Start callback; returns undefined for a duplicate delivery. */
  start(s: RunStart): RunEntry | undefined {
    if (this.runs.has(s.runId)) return undefined;
    const parent = s.parentRunId !== undefined ? this.runs.get(s.parentRunId) : undefined;
    const entry = parent ? this.child(parent, s) : this.root(s);
    this.runs.set(s.runId, entry);
    return entry;
  }

  private child(parent: RunEntry, s: RunStart): RunEntry {
    const span = s.emit ? parent.anchor.startSpan(s.name, spanOptions(s)) : undefined;
    parent.root.runIds.add(s.runId);
    parent.root.lastActivity = Date.now();
    const nodeScope = s.isNode || (!span && parent.nodeScope);
    return { root: parent.root, span, anchor: span ?? parent.anchor, isNode: s.isNode, nodeScope, firstToken: false };
  }

  private root(s: RunStart): RunEntry {
    const d = this.defaults;
    const ambient = d.contextIsRuns();
    const options = spanOptions(s);
    const outerSpan = ambient ? getCurrentSpan() : undefined;
    const outerTrace = ambient && !outerSpan ? getCurrentTrace() : undefined;
    let trace: Trace | undefined;
    let span: Span;
    if (outerSpan && !outerSpan.ended) span = outerSpan.startSpan(s.name, options);
    else if (outerTrace && !outerTrace.ended) span = outerTrace.startSpan(s.name, options);
    else {
      const threadId = threadIdOf(s.metadata);
      const own = runIdentity(s.metadata);
      const metadata = {
        ...userMetadata(s.metadata),
        ...(threadId ? { thread_id: threadId } : {}),
        ...s.traceMetadata,
        ...d.metadata,
      };
      const tags = [...new Set([...(d.tags ?? []), ...userTags(s.tags)])];
      trace = startTrace(s.name, {
        // The root run's id (LangChain's own, or `config.runId`), so callers know it before, during and after the run.
        traceId: spanIdFor(s.runId),
        userId: own.userId ?? d.userId ?? (ambient ? getCurrentUserId() : undefined),
        sessionId:
          own.sessionId ??
          d.sessionId ??
          (ambient ? getCurrentSessionId() : undefined) ??
          (d.threadIdAsSession ? threadId : undefined),
        tags: tags.length ? tags : undefined,
        metadata: Object.keys(metadata).length ? metadata : undefined,
        input: traceInputOf(s.span.input),
        client: d.client,
      });
      span = trace.startSpan(s.name, options);
      this.lastTraceId = trace.id;
    }
    const root: RootEntry = {
      rootRunId: s.runId,
      trace,
      runIds: new Set([s.runId]),
      lastActivity: Date.now(),
      interrupts: undefined,
    };
    this.roots.set(s.runId, root);
    return { root, span, anchor: span, isNode: s.isNode, nodeScope: s.isNode, firstToken: false };
  }

  /** Removes a run for its End/Error callback; undefined when unknown (already ended, duplicate, or never started). */
  take(runId: string): RunEntry | undefined {
    const entry = this.runs.get(runId);
    if (!entry) return undefined;
    this.runs.delete(runId);
    entry.root.runIds.delete(runId);
    entry.root.lastActivity = Date.now();
    return entry;
  }

  /**
   * Ends the trace of a root whose run just ended: spans of runs still open below it are closed
   * (a trace never waits on runs LangChain will not report), then the trace gets its output/status.
   */
  finishRoot(entry: RunEntry, outcome: { output?: unknown; error?: unknown; incomplete?: string }): void {
    const root = entry.root;
    if (!this.roots.delete(root.rootRunId)) return;
    for (const id of root.runIds) {
      const open = this.runs.get(id);
      this.runs.delete(id);
      if (open?.span && !open.span.ended) {
        if (outcome.incomplete) open.span.end({ error: new Error(outcome.incomplete) });
        else open.span.setMetadata({ incomplete: true }).end();
      }
    }
    root.runIds.clear();
    const trace = root.trace;
    if (!trace) return;
    if (root.interrupts) trace.setMetadata({ interrupted: true, interrupts: root.interrupts });
    if (outcome.error !== undefined || outcome.incomplete) {
      trace.setError(outcome.error ?? new Error(outcome.incomplete));
      trace.end({ status: "ERROR" });
    } else {
      trace.end({ output: traceOutputOf(outcome.output, root.interrupts), status: "COMPLETED" });
    }
  }

  /** Closes every root idle for longer than `ttlMs` (runs LangChain never ended, e.g. an abandoned stream). */
  sweep(now: number, ttlMs: number): void {
    for (const root of [...this.roots.values()]) {
      if (now - root.lastActivity <= ttlMs) continue;
      const rootEntry = this.runs.get(root.rootRunId);
      const message = `LangChain run did not end within ${ttlMs} ms (abandoned?)`;
      if (rootEntry) {
        this.runs.delete(root.rootRunId);
        rootEntry.span?.end({ error: new Error(message) });
        this.finishRoot(rootEntry, { incomplete: message });
      } else this.roots.delete(root.rootRunId);
    }
  }

  /** The span that code running inside `runId` should nest under. */
  anchorOf(runId: string): Span | undefined {
    return this.runs.get(runId)?.anchor;
  }
}
