/**
 * `PandaProbeProcessor`: a tracing processor of the OpenAI Agents SDK (its `TracingProcessor` interface) that records
 * every SDK trace as one PandaProbe trace. Every hook is synchronous, cheap and guarded (it never throws into the
 * SDK), and returns a settled promise (the SDK awaits processors one after another).
 */
import type { Span } from "@pandaprobe/core";
import { getClient } from "@pandaprobe/core";
import {
  compact,
  createIntegration,
  guard,
  identityFromRecord,
  type Integration,
  META,
  reportError,
} from "@pandaprobe/core/integration";
import { activate, deactivate, ensureContextResolver } from "./context-resolver.js";
import { spanFailure } from "./extract/errors.js";
import { endEntry, finishRun, type RunCall, startEntry } from "./span-recorder.js";
import { TraceRun } from "./trace-run.js";
import type { AgentsSpan, AgentsTrace, OpenAIAgentsOptions } from "./types.js";

const DONE: Promise<void> = Promise.resolve();
/** The SDK's own default name of a trace (`withTrace`/`Runner` without a workflow name). */
const DEFAULT_NAME = "Agent workflow";

/**
 * Add it with the SDK's `addTraceProcessor(new PandaProbeProcessor(options))` (the SDK keeps exporting to OpenAI), or
 * make it the only one with `setTraceProcessors([...])`. One instance serves any number of concurrent runs: each SDK
 * trace is its own PandaProbe trace (or, when the run starts inside a PandaProbe span, a span of that trace).
 */
export class PandaProbeProcessor {
  private readonly integration: Integration<TraceRun>;
  /** The calls of the SDK traces being recorded (the kit finds them by key; this is for closing them all). */
  private readonly open = new Set<RunCall>();
  /** @internal Set when the SDK shut this processor down (process exit, or `setTraceProcessors` replacing it). */
  shutDown = false;

  constructor(options: OpenAIAgentsOptions = {}) {
    this.integration = createIntegration<TraceRun>("openai-agents", options);
    ensureContextResolver();
  }

  /** How many SDK traces are being recorded (diagnostics and tests). */
  get openCalls(): number {
    return this.integration.openCalls;
  }

  onTraceStart(trace: AgentsTrace): Promise<void> {
    guard("openai-agents.onTraceStart", () => {
      if (this.integration.findCall(trace.traceId)) return;
      this.startRun(trace.traceId, trace.name, trace.groupId, trace.metadata);
    });
    return DONE;
  }

  onTraceEnd(trace: AgentsTrace): Promise<void> {
    guard("openai-agents.onTraceEnd", () => {
      const call = this.integration.findCall(trace.traceId);
      if (call) this.finish(call);
    });
    return DONE;
  }

  onSpanStart(span: AgentsSpan): Promise<void> {
    guard("openai-agents.onSpanStart", () => {
      // A span of a trace not (or no longer) being recorded starts one: the processor was added during the run, or
      // the run went on after its trace was closed (a caught failure inside `withTrace`, the stale-call sweep).
      const call =
        this.integration.findCall(span.traceId) ??
        this.startRun(span.traceId, DEFAULT_NAME, undefined, span.traceMetadata);
      if (call) startEntry(call, span, span.startedAt);
    });
    return DONE;
  }

  onSpanEnd(span: AgentsSpan): Promise<void> {
    guard("openai-agents.onSpanEnd", () => {
      const call = this.integration.findCall(span.traceId);
      if (!call) return; // its start was not recorded (the processor was added later)
      const run = call.state;
      const entry = run.spans.get(span.spanId) ?? startEntry(call, span, span.endedAt);
      endEntry(call, entry);
      // A top-level span that failed: the run threw, and the SDK ends no trace after a failed run.
      if (!span.parentId && span.error) run.failure ??= spanFailure(entry.sdk.error, false);
      if (run.failure && !run.hasOpenSpans()) this.finish(call);
    });
    return DONE;
  }

  /**
   * Called by the SDK at process exit, and when `setTraceProcessors` replaces its processors: traces still open are
   * closed (their open spans marked incomplete) and everything is delivered, within `timeout` ms.
   */
  async shutdown(timeout?: number): Promise<void> {
    this.shutDown = true;
    guard("openai-agents.shutdown", () => {
      for (const call of [...this.open]) this.finish(call);
    });
    await this.flush(timeout);
  }

  /** Delivers what has been recorded (the SDK calls it from `getGlobalTraceProvider().forceFlush()`). */
  forceFlush(): Promise<void> {
    return this.flush();
  }

  /** @internal The PandaProbe span of an SDK span, for code running inside it (see context-resolver.ts). */
  spanFor(sdk: AgentsSpan): Span | undefined {
    const call = this.integration.findCall(sdk.traceId);
    if (!call || call.state.ended) return undefined;
    const entry = call.state.spans.get(sdk.spanId);
    if (entry) return entry.ended ? undefined : entry.span;
    // Code inside a span can run before the span's start event reaches this processor (the SDK delivers it a few
    // microtasks later when another processor comes first): record the start now.
    return sdk.startedAt && !sdk.endedAt ? startEntry(call, sdk, sdk.startedAt).span : undefined;
  }

  private startRun(
    traceId: string,
    name: string,
    groupId: string | null | undefined,
    metadata: Record<string, unknown> | undefined,
  ): RunCall | undefined {
    const group = typeof groupId === "string" && groupId ? groupId : undefined;
    const ids = compact({ [META.FRAMEWORK_TRACE_ID]: traceId, [META.THREAD_ID]: group });
    const run = new TraceRun(typeof name === "string" && name ? name : DEFAULT_NAME);
    const call = this.integration.startCall({
      name: run.name,
      kind: "CHAIN",
      key: traceId,
      state: run,
      identity: identityFromRecord(metadata),
      fallback: { sessionId: group },
      metadata: ids,
      traceMetadata: ids,
      onAbandon: (abandoned) => this.finish(abandoned, { error: abandoned.abandoned?.error }),
    });
    if (call) {
      this.open.add(call);
      activate(this);
    }
    return call;
  }

  private finish(call: RunCall, abandoned?: { error?: unknown }): void {
    finishRun(call, abandoned);
    this.open.delete(call);
    if (this.open.size === 0) deactivate(this);
  }

  private async flush(timeout?: number): Promise<void> {
    try {
      const client = this.integration.options.client ?? getClient();
      await client.flush(typeof timeout === "number" && timeout > 0 ? { timeoutMs: timeout } : undefined);
    } catch (error) {
      reportError("openai-agents.flush", error);
    }
  }
}
