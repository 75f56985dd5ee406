/**
 * `LangGraphCallbackHandler`: a LangChain callback handler that turns LangGraph.js / LangChain.js
 * runs into PandaProbe traces. Every method is synchronous, cheap and guarded (it never throws into
 * the run), and the handler asks LangChain to await it so a run's callbacks are all recorded before
 * `invoke()` resolves.
 */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { guard, nowMs } from "@pandaprobe/core";
import type { PandaProbe, Span } from "@pandaprobe/core";
import { bubbleUpKind, interruptValues, isBubbleUp } from "./bubble-up.js";
import { ensureContextResolver, HANDLER_BRAND, SPAN_FOR_RUN } from "./context-resolver.js";
import {
  chatInput,
  llmOutput,
  llmUsage,
  modelParameters,
  promptInput,
  requestedModel,
  responseModel,
  toolNames,
} from "./llm.js";
import { normalizeValues } from "./messages.js";
import { isGraphNode, isPlumbing, nodeMetadata, runName } from "./run-info.js";
import { RunTree } from "./run-tree.js";
import type { RunEntry, RunStart } from "./run-tree.js";
import { retrieverOutput, toolInput, toolOutput } from "./tool-io.js";

type Obj = Record<string, unknown>;

/** Options of {@link LangGraphCallbackHandler}. */
export interface LangGraphCallbackHandlerOptions {
  /** User id for every trace; else the `user()`/`setUser()` context where the run started. */
  userId?: string;
  /** Session id for every trace; else the `session()`/`setSession()` context, else `configurable.thread_id`. */
  sessionId?: string;
  /** Tags added to every trace (the run's own `config.tags` are added too). */
  tags?: string[];
  /** Metadata added to every trace (wins over the run's `config.metadata`). */
  metadata?: Record<string, unknown>;
  /** Client to send through; the global client otherwise. */
  client?: PandaProbe;
  /** Use LangGraph's `configurable.thread_id` as the session id when none is given (default true). */
  threadIdAsSession?: boolean;
  /** A run idle for longer than this is closed as ERROR and its trace sent (default 30 minutes). */
  runTtlMs?: number;
}

const DEFAULT_TTL_MS = 30 * 60_000;

/**
 * Pass it as `callbacks` to any LangGraph graph or LangChain runnable:
 * `graph.invoke(input, { callbacks: [new LangGraphCallbackHandler({ userId })] })`.
 * One instance may be shared by concurrent invocations; each top-level run becomes its own trace.
 */
export class LangGraphCallbackHandler extends BaseCallbackHandler {
  name = "pandaprobe_langgraph_handler";
  readonly [HANDLER_BRAND] = true;
  private readonly tree: RunTree;
  private readonly ttlMs: number;
  private sweepTimer: ReturnType<typeof setInterval> | undefined;

  constructor(options: LangGraphCallbackHandlerOptions = {}) {
    super({ _awaitHandler: true });
    // Awaited handlers run in the caller's async context before the run continues; background
    // ones run later from LangChain's global queue (see frameworks.md §1.5).
    this.awaitHandlers = true;
    this.ttlMs = options.runTtlMs && options.runTtlMs > 0 ? options.runTtlMs : DEFAULT_TTL_MS;
    this.tree = new RunTree({
      userId: options.userId,
      sessionId: options.sessionId,
      tags: options.tags ? [...options.tags] : undefined,
      metadata: options.metadata ? { ...options.metadata } : undefined,
      client: options.client,
      threadIdAsSession: options.threadIdAsSession !== false,
      contextIsRuns: () => this.awaitHandlers === true,
    });
    ensureContextResolver();
  }

  /**
   * The id of the trace this handler started last: a top-level run's trace id is its LangChain run id, so with
   * concurrent invocations pass your own `runId` in the run config and use that (`score({ traceId: runId })`).
   * Undefined until a run starts a trace (runs nested in an enclosing trace or span are spans of that trace).
   */
  get lastTraceId(): string | undefined {
    return this.tree.lastTraceId;
  }

  /** LangChain may copy handlers; a copy must share the run state, so it is this instance. */
  override copy(): this {
    return this;
  }

  /** @internal The span code running inside `runId` nests under (used by the context resolver). */
  [SPAN_FOR_RUN](runId: string): Span | undefined {
    return this.tree.anchorOf(runId);
  }

  private begin(s: RunStart): void {
    if (this.tree.start(s) && !this.sweepTimer) this.armSweep();
  }

  private armSweep(): void {
    const every = Math.min(this.ttlMs, 60_000);
    this.sweepTimer = setInterval(() => {
      guard("langgraph.sweep", () => {
        this.tree.sweep(Date.now(), this.ttlMs);
        if (this.tree.roots.size === 0 && this.sweepTimer) {
          clearInterval(this.sweepTimer);
          this.sweepTimer = undefined;
        }
      });
    }, every);
    (this.sweepTimer as { unref?: () => void }).unref?.();
  }

  /** Ends a run's span and, for a root, its trace. */
  private finish(runId: string, end: (e: RunEntry) => { output?: unknown; error?: unknown }): void {
    const e = this.tree.take(runId);
    if (!e) return;
    const outcome = end(e);
    if (e.root.rootRunId === runId) this.tree.finishRoot(e, outcome);
  }

  private failed(err: unknown, runId: string): void {
    this.finish(runId, (e) => {
      e.span?.end({ error: err });
      return { error: err };
    });
  }

  // Runtime argument order (0.3 and 1.x alike), not the 1.x .d.ts order: see frameworks.md §1.1.
  override handleChainStart(
    serialized: unknown,
    inputs: unknown,
    runId: string,
    parentRunId?: string,
    tags?: string[],
    metadata?: Obj,
    runType?: string,
    name?: string,
  ): void {
    guard("langgraph.handleChainStart", () => {
      const parent = parentRunId !== undefined ? this.tree.runs.get(parentRunId) : undefined;
      const nm = runName(serialized, name, "chain");
      const isNode = isGraphNode(tags);
      const emit = !parent || !isPlumbing(nm, tags, parent.nodeScope);
      // A graph (root or subgraph) is the chain whose children are nodes.
      if (isNode && parent?.span && !parent.isNode && parent.span.kind !== "AGENT") parent.span.setKind("AGENT");
      const nodeName = isNode && typeof metadata?.langgraph_node === "string" ? metadata.langgraph_node : nm;
      const md = isNode ? nodeMetadata(metadata) : runType ? { run_type: runType } : undefined;
      const input = emit ? normalizeValues(inputs) : undefined;
      // A resume (`Command({ resume })`) starts a new root run: it is a new trace in the same session.
      const resumed = !parent && typeof input === "object" && input !== null && "command" in input;
      this.begin({
        runId,
        parentRunId,
        name: nodeName,
        kind: "CHAIN",
        emit,
        isNode,
        span: { input, metadata: md },
        tags,
        metadata,
        traceMetadata: resumed ? { langgraph_resume: true } : undefined,
      });
    });
  }

  override handleChainEnd(outputs: unknown, runId: string): void {
    guard("langgraph.handleChainEnd", () => {
      this.finish(runId, (e) => {
        const output = e.span || e.root.rootRunId === runId ? normalizeValues(outputs) : undefined;
        e.span?.end({ output });
        return { output };
      });
    });
  }

  override handleChainError(err: unknown, runId: string): void {
    guard("langgraph.handleChainError", () => {
      if (!isBubbleUp(err)) return this.failed(err, runId);
      // interrupt() / Command bubble-ups are control flow, not failures.
      this.finish(runId, (e) => {
        const values = interruptValues(err);
        if (values) {
          const known = (e.root.interrupts ??= []);
          for (const v of values) if (!known.some((k) => JSON.stringify(k) === JSON.stringify(v))) known.push(v);
        }
        const output = values ? { __interrupt__: values } : undefined;
        e.span?.setMetadata({ bubble_up: bubbleUpKind(err) }).end({ output });
        return { output };
      });
    });
  }

  override handleChatModelStart(
    serialized: unknown,
    messages: unknown,
    runId: string,
    parentRunId?: string,
    extraParams?: Obj,
    tags?: string[],
    metadata?: Obj,
    name?: string,
  ): void {
    guard("langgraph.handleChatModelStart", () =>
      this.startLlm(serialized, chatInput(messages), runId, parentRunId, extraParams, tags, metadata, name),
    );
  }

  override handleLLMStart(
    serialized: unknown,
    prompts: unknown,
    runId: string,
    parentRunId?: string,
    extraParams?: Obj,
    tags?: string[],
    metadata?: Obj,
    name?: string,
  ): void {
    guard("langgraph.handleLLMStart", () =>
      this.startLlm(serialized, promptInput(prompts), runId, parentRunId, extraParams, tags, metadata, name),
    );
  }

  private startLlm(
    serialized: unknown,
    input: unknown,
    runId: string,
    parentRunId: string | undefined,
    extraParams: Obj | undefined,
    tags: string[] | undefined,
    metadata: Obj | undefined,
    name: string | undefined,
  ): void {
    const tools = toolNames(extraParams);
    const provider = typeof metadata?.ls_provider === "string" ? metadata.ls_provider : undefined;
    const md = tools || provider ? { ...(provider ? { provider } : {}), ...(tools ? { tools } : {}) } : undefined;
    this.begin({
      runId,
      parentRunId,
      name: runName(serialized, name, "llm"),
      kind: "LLM",
      emit: true,
      isNode: false,
      span: {
        input,
        model: requestedModel(metadata, extraParams),
        modelParameters: modelParameters(metadata, extraParams),
        metadata: md,
      },
      tags,
      metadata,
    });
  }

  override handleLLMNewToken(_token: string, _idx: unknown, runId: string): void {
    guard("langgraph.handleLLMNewToken", () => this.firstToken(runId));
  }

  /** 1.x handlers preferring stream events get these instead of `handleLLMNewToken`. */
  override handleChatModelStreamEvent(_event: unknown, runId: string): void {
    guard("langgraph.handleChatModelStreamEvent", () => this.firstToken(runId));
  }

  private firstToken(runId: string): void {
    const e = this.tree.runs.get(runId);
    if (!e || e.firstToken) return;
    e.firstToken = true;
    e.span?.setCompletionStartTime(nowMs());
  }

  override handleLLMEnd(output: unknown, runId: string): void {
    guard("langgraph.handleLLMEnd", () => {
      this.finish(runId, (e) => {
        const span = e.span;
        const out = llmOutput(output);
        if (span) {
          const model = responseModel(output);
          if (model) span.setModel(model);
          const usage = llmUsage(output);
          if (usage) span.setTokenUsage(usage);
          span.end({ output: out });
        }
        return { output: out };
      });
    });
  }

  override handleLLMError(err: unknown, runId: string): void {
    guard("langgraph.handleLLMError", () => this.failed(err, runId));
  }

  override handleToolStart(
    serialized: unknown,
    input: unknown,
    runId: string,
    parentRunId?: string,
    tags?: string[],
    metadata?: Obj,
    name?: string,
    toolCallId?: string,
  ): void {
    guard("langgraph.handleToolStart", () => {
      this.begin({
        runId,
        parentRunId,
        name: runName(serialized, name, "tool"),
        kind: "TOOL",
        emit: true,
        isNode: false,
        span: {
          input: toolInput(input),
          metadata: typeof toolCallId === "string" ? { tool_call_id: toolCallId } : undefined,
        },
        tags,
        metadata,
      });
    });
  }

  override handleToolEnd(output: unknown, runId: string): void {
    guard("langgraph.handleToolEnd", () => {
      this.finish(runId, (e) => {
        const r = toolOutput(output);
        if (r.toolCallId) e.span?.setMetadata({ tool_call_id: r.toolCallId });
        e.span?.end({ output: r.output });
        return { output: r.output };
      });
    });
  }

  override handleToolError(err: unknown, runId: string): void {
    guard("langgraph.handleToolError", () => this.failed(err, runId));
  }

  override handleRetrieverStart(
    serialized: unknown,
    query: string,
    runId: string,
    parentRunId?: string,
    tags?: string[],
    metadata?: Obj,
    name?: string,
  ): void {
    guard("langgraph.handleRetrieverStart", () => {
      this.begin({
        runId,
        parentRunId,
        name: runName(serialized, name, "retriever"),
        kind: "RETRIEVER",
        emit: true,
        isNode: false,
        span: { input: { query } },
        tags,
        metadata,
      });
    });
  }

  override handleRetrieverEnd(documents: unknown, runId: string): void {
    guard("langgraph.handleRetrieverEnd", () => {
      this.finish(runId, (e) => {
        const output = retrieverOutput(documents);
        e.span?.end({ output });
        return { output };
      });
    });
  }

  override handleRetrieverError(err: unknown, runId: string): void {
    guard("langgraph.handleRetrieverError", () => this.failed(err, runId));
  }
}
