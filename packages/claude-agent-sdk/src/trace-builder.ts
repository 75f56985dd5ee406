/**
 * Builds a query's spans from its log, when the query ends (off the caller's path), in the order the caller received
 * the messages and with the times it received them:
 *
 * - one `LLM` span per assistant turn (the SDK yields one message per content block: a turn is the run of messages
 *   with one `message.id`), from when its request could start (the previous event of its agent: the prompt, the tool
 *   results) to its last block; input: the messages that reached the model since its agent's previous turn;
 * - one `TOOL` span per `tool_use` block, ended by its `tool_result`;
 * - one `AGENT` span per subagent (the Task/Agent tool), nested under the tool span that launched it (a subagent
 *   running in the background, whose tool returns at once, sits beside its tool span); its turns and tools under it.
 */
import type { Span, TokenUsage } from "@pandaprobe/core";
import {
  addTokenUsage,
  type Call,
  type CallEnd,
  isRecord,
  type Loose,
  META,
  nowMs,
} from "@pandaprobe/core/integration";
import { blocksOf, plainContent, textOf, toolCall, toolMessage } from "./extract/content.js";
import { finishReason, resultError, resultOutput } from "./extract/result.js";
import { queryTotals, remainder, turnUsage } from "./extract/usage.js";
import { type Ending, PromptInput, type QueryLog } from "./query-log.js";

/** One assistant turn being assembled. */
interface Turn {
  id: unknown;
  span: Span;
  text: string[];
  toolCalls: Loose[];
  thinking: string[];
  /** The usage of the turn's last message, and of its stream events (`includePartialMessages`). */
  usage: unknown;
  startUsage: unknown;
  deltaUsage: unknown;
  /** Whether the usage is final (the message said it was complete). */
  final: boolean;
  stopReason: unknown;
  requestId: unknown;
  errorType: unknown;
  synthetic: boolean;
  aborted: boolean;
  firstDeltaAt: number | undefined;
  lastAt: number;
}

/** The main agent (key null) or a subagent (key: the tool use that launched it). */
interface Thread {
  parent: Span;
  /** Messages that reached the model since this agent's last turn: the next turn's input. */
  pending: Loose[];
  /** When this agent's next request could start. */
  since: number;
  turn: Turn | undefined;
}

interface Agent {
  span: Span;
  background: boolean;
  ended: boolean;
}

/** The name of the main span and trace when the caller names none (the Python SDK's). */
export const ROOT_NAME = "ClaudeAgentSDK";
const SYNTHETIC_MODEL = "<synthetic>";

export function buildTrace(call: Call<QueryLog>, log: QueryLog, ending: Ending, error: unknown): CallEnd {
  return new TraceBuilder(call, log).build(ending, error);
}

class TraceBuilder {
  private readonly root: Span;
  private readonly threads = new Map<unknown, Thread>();
  private readonly main: Thread;
  private readonly tools = new Map<unknown, Span>();
  private readonly toolInputs = new Map<unknown, unknown>();
  private readonly toolParents = new Map<unknown, Span>();
  private readonly agents = new Map<unknown, Agent>();
  private readonly results: Loose[] = [];
  private readonly prompts: Loose[] = [];
  /** What the turns' spans carry, to leave the rest of the query's totals to the root span. */
  private recorded: TokenUsage | undefined;
  private sessionId: unknown;
  private model: string | undefined;
  private lastMainText: string | undefined;
  /** Subagents whose tool returned before they finished (background subagents), found ahead of the replay. */
  private readonly background = new Set<unknown>();

  constructor(
    private readonly call: Call<QueryLog>,
    private readonly log: QueryLog,
  ) {
    this.root = call.span;
    const options = log.options;
    this.model = typeof options?.model === "string" ? options.model : undefined;
    const prompt = typeof log.prompt === "string" ? [{ role: "user", content: log.prompt }] : [];
    this.main = { parent: this.root, pending: prompt, since: call.startTime, turn: undefined };
    this.threads.set(null, this.main);
  }

  build(ending: Ending, error: unknown): CallEnd {
    const { entries, times } = this.log;
    this.findBackground(entries);
    for (let i = 0; i < entries.length; i++) this.replay(entries[i], times[i]);
    return this.finish(ending, error);
  }

  /** A subagent whose tool result comes before its last message or notification ran in the background. */
  private findBackground(entries: unknown[]): void {
    const resultAt = new Map<unknown, number>();
    for (let i = 0; i < entries.length; i++) {
      const m = entries[i] as Loose;
      if (m.type === "user")
        for (const b of blocksOf((m.message as Loose | undefined)?.content))
          if (b.type === "tool_result") resultAt.set(b.tool_use_id, i);
      const owner = m.type === "system" ? m.tool_use_id : m.parent_tool_use_id;
      if (owner == null) continue;
      if (m.type === "system" && m.subtype === "task_started" && m.is_backgrounded === true) this.background.add(owner);
      const at = resultAt.get(owner);
      if (at !== undefined && at < i) this.background.add(owner);
    }
  }

  private replay(entry: unknown, t: number): void {
    if (entry instanceof PromptInput) {
      const content = isRecord(entry.message) ? (entry.message.message as Loose | undefined)?.content : undefined;
      const message = { role: "user", content: plainContent(content) ?? "" };
      this.prompts.push(message);
      this.main.pending.push(message);
      return;
    }
    const m = entry as Loose;
    switch (m.type) {
      case "assistant":
        return this.assistant(this.thread(m.parent_tool_use_id, t), m, t);
      case "user":
        return this.user(this.thread(m.parent_tool_use_id, t), m, t);
      case "stream_event":
        return this.streamEvent(this.thread(m.parent_tool_use_id, t), m, t);
      case "result":
        this.closeTurn(this.main);
        this.results.push(m);
        this.sessionId ??= m.session_id;
        this.main.since = t;
        return;
      case "system":
        if (m.subtype === "init") {
          this.sessionId ??= m.session_id;
          if (!this.model && typeof m.model === "string") this.model = m.model;
          if (!this.main.turn) this.main.since = t;
        } else if (m.subtype === "task_started") this.agent(m.tool_use_id, t, m);
        else if (m.subtype === "task_notification") this.notified(m, t);
    }
  }

  /** The agent a message belongs to (a subagent's thread starts with its first message). */
  private thread(parentToolUseId: unknown, t: number): Thread {
    if (parentToolUseId == null) return this.main;
    const known = this.threads.get(parentToolUseId);
    if (known) return known;
    this.agent(parentToolUseId, t, undefined);
    return this.threads.get(parentToolUseId)!;
  }

  /** Opens the AGENT span of the subagent launched by tool use `id` (once). */
  private agent(id: unknown, t: number, started: Loose | undefined): void {
    if (id == null || this.agents.has(id)) return;
    const input = isRecord(this.toolInputs.get(id)) ? (this.toolInputs.get(id) as Loose) : undefined;
    const name = [started?.subagent_type, input?.subagent_type, started?.description, input?.description].find(
      (n) => typeof n === "string" && n,
    ) as string | undefined;
    const background = this.background.has(id);
    const tool = this.tools.get(id);
    const parent = (!background && tool) || this.toolParents.get(id) || this.root;
    const prompt = typeof input?.prompt === "string" ? input.prompt : started?.prompt;
    const span = parent.startSpan(name ?? "subagent", {
      kind: "AGENT",
      input: typeof prompt === "string" ? { messages: [{ role: "user", content: prompt }] } : undefined,
      startTime: t,
      metadata: { [META.TOOL_CALL_ID]: id },
    });
    this.agents.set(id, { span, background, ended: false });
    this.threads.set(id, { parent: span, pending: [], since: t, turn: undefined });
  }

  /** A background subagent ends with its task notification. */
  private notified(m: Loose, t: number): void {
    const agent = this.agents.get(m.tool_use_id);
    if (!agent?.background) return;
    const failed = m.status === "failed" || m.status === "killed" || m.status === "stopped";
    const summary = typeof m.summary === "string" ? m.summary : undefined;
    this.endAgent(m.tool_use_id, t, summary, failed ? new Error(summary || String(m.status)) : undefined);
  }

  private endAgent(id: unknown, t: number, report: string | undefined, error?: unknown): void {
    const agent = this.agents.get(id);
    if (!agent || agent.ended) return;
    agent.ended = true;
    const thread = this.threads.get(id);
    if (thread) this.closeTurn(thread);
    const output = report === undefined ? undefined : { messages: [{ role: "assistant", content: report }] };
    agent.span.end({ output, endTime: t, error });
  }

  private assistant(thread: Thread, m: Loose, t: number): void {
    const message = isRecord(m.message) ? m.message : {};
    let turn = thread.turn;
    if (turn && turn.id !== message.id) {
      this.closeTurn(thread);
      turn = undefined;
    }
    turn ??= this.openTurn(thread, message.id, message.model);
    turn.lastAt = t;
    turn.usage = message.usage;
    if (message.stop_reason != null) {
      turn.final = true;
      turn.stopReason = message.stop_reason;
    }
    if (m.request_id !== undefined) turn.requestId = m.request_id;
    if (m.error !== undefined) turn.errorType = m.error;
    if (m.aborted === true) turn.aborted = true;
    for (const b of blocksOf(message.content)) {
      if (b.type === "text" && typeof b.text === "string") turn.text.push(b.text);
      else if (b.type === "thinking" && typeof b.thinking === "string") turn.thinking.push(b.thinking);
      else if (b.type === "tool_use") {
        turn.toolCalls.push(toolCall(b));
        this.openTool(thread, b, t);
      }
    }
  }

  private openTurn(thread: Thread, id: unknown, model: unknown): Turn {
    const synthetic = model === SYNTHETIC_MODEL;
    const name = typeof model === "string" && !synthetic ? model : (this.model ?? "claude");
    const span = thread.parent.startSpan(name, {
      kind: "LLM",
      input: thread.pending.length ? { messages: thread.pending } : undefined,
      model: synthetic ? this.model : typeof model === "string" ? model : undefined,
      startTime: thread.since,
    });
    thread.pending = [];
    const turn: Turn = {
      id,
      span,
      text: [],
      toolCalls: [],
      thinking: [],
      usage: undefined,
      startUsage: undefined,
      deltaUsage: undefined,
      final: false,
      stopReason: undefined,
      requestId: undefined,
      errorType: undefined,
      synthetic,
      aborted: false,
      firstDeltaAt: undefined,
      lastAt: thread.since,
    };
    thread.turn = turn;
    return turn;
  }

  /** `includePartialMessages`: a turn's start, first content and final usage. */
  private streamEvent(thread: Thread, m: Loose, t: number): void {
    const event = isRecord(m.event) ? m.event : {};
    if (event.type === "message_start") {
      const message = isRecord(event.message) ? event.message : {};
      if (thread.turn && thread.turn.id !== message.id) this.closeTurn(thread);
      const turn = thread.turn ?? this.openTurn(thread, message.id, message.model);
      turn.startUsage = message.usage;
      turn.lastAt = t;
      return;
    }
    const turn = thread.turn;
    if (!turn) return;
    turn.lastAt = t;
    if (event.type === "content_block_delta") turn.firstDeltaAt ??= t;
    else if (event.type === "message_delta") {
      turn.deltaUsage = event.usage;
      turn.final = true;
      const delta = isRecord(event.delta) ? event.delta : undefined;
      if (delta?.stop_reason != null) turn.stopReason = delta.stop_reason;
    }
  }

  private closeTurn(thread: Thread): void {
    const turn = thread.turn;
    if (!turn) return;
    thread.turn = undefined;
    thread.since = turn.lastAt;
    const span = turn.span;
    if (!turn.synthetic) {
      const usage = turnUsage(mergeUsage(turn.startUsage ?? turn.usage, turn.deltaUsage), turn.final);
      if (usage) {
        span.setTokenUsage(usage);
        this.recorded = addTokenUsage(this.recorded, usage);
      }
    }
    const text = turn.text.join("\n");
    if (thread === this.main && text) this.lastMainText = text;
    const message: Loose = { role: "assistant", content: text };
    if (turn.toolCalls.length) message.tool_calls = turn.toolCalls;
    const metadata: Loose = {};
    if (!turn.synthetic && turn.id !== undefined) metadata[META.RESPONSE_ID] = turn.id;
    if (turn.requestId !== undefined) metadata[META.REQUEST_ID] = turn.requestId;
    if (turn.stopReason != null) metadata[META.FINISH_REASON] = turn.stopReason;
    if (turn.thinking.length) metadata[META.REASONING_SUMMARY] = turn.thinking.join("\n\n");
    if (turn.aborted) metadata[META.ABORTED] = true;
    if (turn.errorType !== undefined) metadata[META.ERROR_TYPE] = turn.errorType;
    span.setMetadata(metadata);
    if (turn.firstDeltaAt !== undefined) span.setCompletionStartTime(turn.firstDeltaAt);
    const error = turn.errorType !== undefined ? new Error(text || String(turn.errorType)) : undefined;
    span.end({ output: { messages: [message] }, endTime: turn.lastAt, error });
  }

  private openTool(thread: Thread, block: Loose, t: number): void {
    const id = block.id;
    if (this.tools.has(id)) return;
    const span = thread.parent.startSpan(typeof block.name === "string" ? block.name : "tool", {
      kind: "TOOL",
      input: block.input,
      startTime: t,
      metadata: { [META.TOOL_CALL_ID]: id },
    });
    this.tools.set(id, span);
    this.toolInputs.set(id, block.input);
    this.toolParents.set(id, thread.parent);
  }

  private user(thread: Thread, m: Loose, t: number): void {
    const content = isRecord(m.message) ? m.message.content : undefined;
    let results = false;
    for (const b of blocksOf(content)) {
      if (b.type !== "tool_result") continue;
      if (!results) this.closeTurn(thread);
      results = true;
      this.endTool(b, m.tool_use_result, t);
      thread.pending.push(toolMessage(b));
    }
    if (!results) {
      this.closeTurn(thread);
      thread.pending.push({ role: "user", content: plainContent(content) ?? "" });
    }
    thread.since = t;
  }

  private endTool(block: Loose, toolUseResult: unknown, t: number): void {
    const id = block.tool_use_id;
    const span = this.tools.get(id);
    if (!span) return;
    this.tools.delete(id);
    const failed = block.is_error === true;
    if (!this.background.has(id)) {
      // A foreground subagent's report: the SDK's structured result (its final text), else what the model got.
      const report = isRecord(toolUseResult) && "content" in toolUseResult ? toolUseResult.content : block.content;
      this.endAgent(id, t, textOf(report), failed ? new Error(textOf(block.content) ?? "failed") : undefined);
    }
    const error = failed ? new Error(textOf(block.content) || "the tool failed") : undefined;
    span.end({ output: plainContent(block.content), endTime: t, error });
  }

  private finish(ending: Ending, error: unknown): CallEnd {
    const end = this.call.endTime ?? nowMs();
    for (const thread of this.threads.values()) this.closeTurn(thread);
    for (const span of this.tools.values()) {
      span.setMetadata({ [META.INCOMPLETE]: true });
      span.end({ endTime: end });
    }
    for (const [id, agent] of this.agents) {
      if (agent.ended) continue;
      agent.span.setMetadata({ [META.INCOMPLETE]: true });
      this.endAgent(id, end, undefined);
    }

    const root = this.root;
    const last = this.results[this.results.length - 1];
    const options = this.log.options;
    const resumed = !!(options?.resume || options?.continue);
    const totals = queryTotals(this.results, resumed);
    const rest = remainder(totals.usage, this.recorded);
    if (rest) root.setTokenUsage(rest);
    const metadata: Loose = {};
    if (typeof totals.costUsd === "number") {
      root.setCost({ total: totals.costUsd });
      metadata[META.COST_USD] = totals.costUsd;
    }
    if (typeof this.sessionId === "string") metadata[META.THREAD_ID] = this.sessionId;
    if (this.model && typeof options?.model !== "string") metadata[META.MODEL] = this.model;
    if (last) {
      const reason = finishReason(last);
      if (reason) metadata[META.FINISH_REASON] = reason;
      if (typeof last.api_error_status === "number") metadata[META.ERROR_STATUS] = last.api_error_status;
    }
    if (ending === "stopped") metadata[META.STREAM_COMPLETED] = false;
    if (typeof this.log.prompt !== "string" && this.prompts.length) root.setInput({ messages: this.prompts });
    const output =
      (last && resultOutput(last)) ??
      (this.lastMainText !== undefined ? { messages: [{ role: "assistant", content: this.lastMainText }] } : undefined);
    const failure = ending === "error" ? error : ending === "abandoned" || !last ? undefined : resultError(last);
    return { output, error: failure, metadata };
  }
}

/** A turn's usage from its stream events: the start figures with the final ones over them. */
function mergeUsage(start: unknown, delta: unknown): unknown {
  if (!isRecord(delta)) return start;
  const out: Loose = isRecord(start) ? { ...start } : {};
  for (const [k, v] of Object.entries(delta)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}
