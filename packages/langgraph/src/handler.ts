/**
 * `LangGraphCallbackHandler`: a LangChain callback handler that turns LangGraph.js / LangChain.js
 * runs into PandaProbe traces. Every method is synchronous, cheap and guarded (it never throws into
 * the run), and the handler asks LangChain to await it so a run's callbacks are all recorded before
 * `invoke()` resolves.
 */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { Span } from "@pandaprobe/core";
import { createIntegration, guard, type Integration, META, nowMs } from "@pandaprobe/core/integration";
import { ensureContextResolver, HANDLER_BRAND, SPAN_FOR_RUN } from "./context-resolver.js";
import { bubbleUpKind, interruptValues, isBubbleUp } from "./extract/bubble-up.js";
import {
  chatInput,
  llmOutput,
  llmUsage,
  modelParameters,
  promptInput,
  requestedModel,
  responseModel,
  toolNames,
} from "./extract/llm.js";
import { normalizeValues } from "./extract/messages.js";
import { isGraphNode, isMiddlewareHook, isPlumbing, nodeMetadata, runName } from "./extract/run-info.js";
import { retrieverOutput, toolInput, toolOutput } from "./extract/tool-io.js";
import { RunTree } from "./run-tree.js";
import type { RunEnd, RunEntry, RunStart } from "./run-tree.js";
import type { LangGraphCallbackHandlerOptions } from "./types.js";

type Obj = Record<string, unknown>;

/**
 * Pass it as `callbacks` to any LangGraph graph or LangChain runnable:
 * `graph.invoke(input, { callbacks: [new LangGraphCallbackHandler({ userId })] })`.
 * One instance may be shared by concurrent invocations; each top-level run becomes its own trace.
 */
export class LangGraphCallbackHandler extends BaseCallbackHandler {
  name = "pandaprobe_langgraph_handler";
  readonly [HANDLER_BRAND] = true;
  private readonly integration: Integration;
  private readonly tree: RunTree;

  constructor(options: LangGraphCallbackHandlerOptions = {}) {
    super({ _awaitHandler: true });
    // Awaited handlers run in the caller's async context before the run continues; background
    // ones run later from LangChain's global queue (see frameworks.md §1.5).
    this.awaitHandlers = true;
    this.integration = createIntegration("langgraph", options, { name: "runTtlMs", value: options.runTtlMs });
    this.tree = new RunTree(this.integration, options.threadIdAsSession !== false, () => this.awaitHandlers === true);
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

  /** How many top-level runs are open (diagnostics and tests). */
  get openCalls(): number {
    return this.integration.openCalls;
  }

  /**
   * The trace and root span name of a top-level chain run named `name`: the run's own name here; the LangChain and
   * DeepAgents handlers give the framework's generic names (`LangGraph`, `RunnableSequence`) theirs.
   */
  protected rootName(name: string): string {
    return name;
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
    this.tree.start(s);
  }

  /** Ends a run's span with what `end` read (a root's through its kit call, which also ends its trace). */
  private finish(runId: string, end: (e: RunEntry) => RunEnd): void {
    const e = this.tree.take(runId);
    if (!e) return;
    const outcome = end(e);
    if (e.root.rootRunId === runId) return this.tree.finishRoot(e, outcome);
    // A lazy run (a middleware hook node) with nothing inside it is shown only if it failed or was interrupted.
    if (e.lazy && (outcome.error !== undefined || outcome.metadata)) this.tree.open(e);
    const span = e.span;
    if (!span) return;
    if (outcome.metadata) span.setMetadata(outcome.metadata);
    span.end({ output: outcome.output, error: outcome.error });
  }

  private failed(err: unknown, runId: string): void {
    this.finish(runId, () => ({ error: err }));
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
      const nm = parent ? runName(serialized, name, "chain") : this.rootName(runName(serialized, name, "chain"));
      const isNode = isGraphNode(tags);
      const emit = !parent || !isPlumbing(nm, tags, parent.nodeScope);
      const nodeName = isNode && typeof metadata?.langgraph_node === "string" ? metadata.langgraph_node : nm;
      // A graph (root or subgraph) is the chain whose children are nodes.
      if (isNode && parent?.span && !parent.isNode && parent.span.kind !== "AGENT") parent.span.setKind("AGENT");
      const md = isNode ? nodeMetadata(metadata) : runType ? { [META.RUN_TYPE]: runType } : undefined;
      const input = emit ? normalizeValues(inputs) : undefined;
      // A resume (`Command({ resume })`) starts a new root run: it is a new trace in the same session.
      const resumed = !parent && typeof input === "object" && input !== null && "command" in input;
      this.begin({
        runId,
        parentRunId,
        name: nodeName,
        kind: "CHAIN",
        emit,
        lazy: isNode && isMiddlewareHook(nodeName),
        isNode,
        span: { input, metadata: md },
        tags,
        metadata,
        traceMetadata: resumed ? { [META.RESUMED]: true } : undefined,
      });
    });
  }

  override handleChainEnd(outputs: unknown, runId: string): void {
    guard("langgraph.handleChainEnd", () => {
      this.finish(runId, (e) => ({
        output: e.span || e.root.rootRunId === runId ? normalizeValues(outputs) : undefined,
      }));
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
        return { output, metadata: { [META.BUBBLE_UP]: bubbleUpKind(err) } };
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
    const md =
      tools || provider
        ? { ...(provider ? { [META.PROVIDER]: provider } : {}), ...(tools ? { [META.TOOLS]: tools } : {}) }
        : undefined;
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
    if (!e) return;
    e.root.call.touch();
    if (e.firstToken) return;
    e.firstToken = true;
    e.span?.setCompletionStartTime(nowMs());
  }

  override handleLLMEnd(output: unknown, runId: string): void {
    guard("langgraph.handleLLMEnd", () => {
      this.finish(runId, (e) => {
        const span = e.span;
        if (span) {
          const model = responseModel(output);
          if (model) span.setModel(model);
          const usage = llmUsage(output);
          if (usage) span.setTokenUsage(usage);
        }
        return { output: llmOutput(output) };
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
          metadata: typeof toolCallId === "string" ? { [META.TOOL_CALL_ID]: toolCallId } : undefined,
        },
        tags,
        metadata,
      });
    });
  }

  override handleToolEnd(output: unknown, runId: string): void {
    guard("langgraph.handleToolEnd", () => {
      this.finish(runId, () => {
        const r = toolOutput(output);
        return { output: r.output, metadata: r.toolCallId ? { [META.TOOL_CALL_ID]: r.toolCallId } : undefined };
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
      this.finish(runId, () => ({ output: retrieverOutput(documents) }));
    });
  }

  override handleRetrieverError(err: unknown, runId: string): void {
    guard("langgraph.handleRetrieverError", () => this.failed(err, runId));
  }
}
