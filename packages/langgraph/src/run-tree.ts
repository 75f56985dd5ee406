/**
 * Per-run state of one handler: every LangChain run id maps to the PandaProbe span it produced
 * (or, for hidden/plumbing runs, to the nearest emitted ancestor's span). A run without a known
 * parent is a root: a kit call, with a trace of its own unless it runs inside a caller's span. Nothing
 * here is shared between handler instances, and nothing relies on "the current root": concurrent
 * invocations only meet through the map.
 */
import type { Span, SpanKind, SpanOptions } from "@pandaprobe/core";
import { type Call, identityFromRecord, type Integration, META, mergeTags, nowMs } from "@pandaprobe/core/integration";
import { spanIdFor, threadIdOf, userMetadata, userTags } from "./extract/run-info.js";
import { interruptedOutput } from "./extract/trace-io.js";

type Obj = Record<string, unknown>;

/** One root run (a trace, or a subtree nested under a caller's span) and the runs still open under it. */
export interface RootEntry {
  readonly rootRunId: string;
  readonly call: Call;
  readonly runIds: Set<string>;
  interrupts: unknown[] | undefined;
}

/** One open LangChain run. */
export interface RunEntry {
  readonly root: RootEntry;
  /** Our span for the run; undefined for hidden/plumbing runs, and for a lazy run until something happens in it. */
  span: Span | undefined;
  /** The run's parent (undefined for a root): children of hidden runs attach to the nearest emitted ancestor. */
  readonly parent: RunEntry | undefined;
  /** A run whose span is opened only when something is recorded inside it (see `RunStart.lazy`). */
  lazy: { name: string; options: SpanOptions } | undefined;
  readonly isNode: boolean;
  /** A node, or a hidden run inside one: plumbing-like children here are collapsed. */
  readonly nodeScope: boolean;
  firstToken: boolean;
}

/** How a run ended (its span's output, failure and metadata). */
export interface RunEnd {
  output?: unknown;
  error?: unknown;
  metadata?: Obj;
}

/** What a Start callback asks for. */
export interface RunStart {
  runId: string;
  parentRunId: string | undefined;
  name: string;
  kind: SpanKind;
  /** False for hidden/plumbing runs (never emitted; children re-attach). */
  emit: boolean;
  /**
   * Emitted only if something happens inside it (a child span, code asking for the current span, an error, an
   * interrupt): `createAgent` middleware hook nodes, which mostly just pass the state on.
   */
  lazy?: boolean;
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
  /** The id of the trace the last root run started (see `LangGraphCallbackHandler.lastTraceId`). */
  lastTraceId: string | undefined;

  constructor(
    private readonly integration: Integration,
    private readonly threadIdAsSession: boolean,
    /** False when LangChain runs the handler in its background queue: the ambient context is not the run's then. */
    private readonly contextIsRuns: () => boolean,
  ) {}

  /** Records a Start callback; returns undefined for a duplicate delivery (or a root with nothing to record). */
  start(s: RunStart): RunEntry | undefined {
    if (this.runs.has(s.runId)) return undefined;
    const parent = s.parentRunId !== undefined ? this.runs.get(s.parentRunId) : undefined;
    const entry = parent ? this.child(parent, s) : this.root(s);
    if (entry) this.runs.set(s.runId, entry);
    return entry;
  }

  private child(parent: RunEntry, s: RunStart): RunEntry {
    const lazy = s.emit && s.lazy ? { name: s.name, options: { ...spanOptions(s), startTime: nowMs() } } : undefined;
    const span = s.emit && !lazy ? this.anchor(parent).startSpan(s.name, spanOptions(s)) : undefined;
    parent.root.runIds.add(s.runId);
    parent.root.call.touch();
    const nodeScope = s.isNode || (!span && !lazy && parent.nodeScope);
    return { root: parent.root, span, parent, lazy, isNode: s.isNode, nodeScope, firstToken: false };
  }

  /** Where spans of and under `entry` attach: its own span, else the nearest emitted ancestor's (opening a lazy one). */
  private anchor(entry: RunEntry): Span {
    for (let e: RunEntry | undefined = entry; e; e = e.parent) {
      if (e.span) return e.span;
      if (e.lazy) return this.open(e);
    }
    return entry.root.call.span;
  }

  /** Opens a lazy run's span (with the time it started), under its nearest emitted ancestor. */
  open(entry: RunEntry): Span {
    if (entry.span) return entry.span;
    const lazy = entry.lazy!;
    entry.lazy = undefined;
    entry.span = (entry.parent ? this.anchor(entry.parent) : entry.root.call.span).startSpan(lazy.name, lazy.options);
    return entry.span;
  }

  private root(s: RunStart): RunEntry | undefined {
    const threadId = threadIdOf(s.metadata);
    const own = identityFromRecord(userMetadata(s.metadata));
    const runTags = userTags(s.tags);
    const root = { rootRunId: s.runId, runIds: new Set([s.runId]), interrupts: undefined } as unknown as RootEntry;
    const call = this.integration.startCall({
      name: s.name,
      kind: s.kind,
      input: s.span.input,
      model: s.span.model,
      modelParameters: s.span.modelParameters,
      metadata: s.span.metadata,
      spanId: spanIdFor(s.runId),
      ambient: this.contextIsRuns(),
      identity: runTags.length ? { ...own, tags: mergeTags(runTags, own.tags) } : own,
      // The root run's id (LangChain's own, or `config.runId`) names the trace, so callers know it before, during and after the run.
      fallback: { sessionId: this.threadIdAsSession ? threadId : undefined, traceId: spanIdFor(s.runId) },
      traceMetadata: threadId || s.traceMetadata ? { [META.THREAD_ID]: threadId, ...s.traceMetadata } : undefined,
      key: s.runId,
      // The sweep closes the root span itself; the runs still open under it end with its error.
      onAbandon: (c) => this.closeOpenRuns(root, c.abandoned?.error),
    });
    if (!call) return undefined;
    (root as { call: Call }).call = call;
    const span = call.span;
    if (call.standalone) this.lastTraceId = span.traceId;
    return { root, span, parent: undefined, lazy: undefined, isNode: s.isNode, nodeScope: s.isNode, firstToken: false };
  }

  /** Removes a run for its End/Error callback; undefined when unknown (already ended, duplicate, or never started). */
  take(runId: string): RunEntry | undefined {
    const entry = this.runs.get(runId);
    if (!entry) return undefined;
    this.runs.delete(runId);
    entry.root.runIds.delete(runId);
    entry.root.call.touch();
    return entry;
  }

  /**
   * Ends a root run's call: spans of runs still open below it are closed first (a trace never waits on runs
   * LangChain will not report), then the root span and its trace get the run's output or failure.
   */
  finishRoot(entry: RunEntry, end: RunEnd): void {
    const root = entry.root;
    if (root.call.ended) return;
    this.closeOpenRuns(root, undefined);
    const interrupts = root.interrupts;
    root.call.end({
      output: end.output,
      error: end.error,
      metadata: end.metadata,
      ...(interrupts
        ? {
            traceMetadata: { [META.INTERRUPTED]: true, [META.INTERRUPTS]: interrupts },
            ...(end.error === undefined ? { traceOutput: interruptedOutput(end.output, interrupts) } : undefined),
          }
        : undefined),
    });
  }

  /**
   * Forgets every run of `root`, closing the spans still open under its root span (which the kit ends): marked
   * incomplete, or with `error` (an abandoned run).
   */
  private closeOpenRuns(root: RootEntry, error: unknown): void {
    for (const id of root.runIds) {
      const open = this.runs.get(id);
      this.runs.delete(id);
      if (id === root.rootRunId || !open?.span || open.span.ended) continue;
      if (error !== undefined) open.span.end({ error });
      else open.span.setMetadata({ [META.INCOMPLETE]: true }).end();
    }
    root.runIds.clear();
  }

  /** The span that code running inside `runId` should nest under. */
  anchorOf(runId: string): Span | undefined {
    const entry = this.runs.get(runId);
    return entry ? this.anchor(entry) : undefined;
  }
}
