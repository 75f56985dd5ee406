/**
 * What one traced query keeps while it runs: the messages that make up its trace, each with the time it reached the
 * caller. Nothing else happens on the caller's path; the spans are built from this log when the query ends
 * (`trace-builder.ts`, off the caller's path), so each message costs a type check and two array pushes.
 */
import { type Call, type CallEnd, guard, type Loose, nowMs, reportError } from "@pandaprobe/core/integration";

/** A user message the SDK read from a streaming (`AsyncIterable`) prompt. */
export class PromptInput {
  declare readonly message: unknown;
  constructor(message: unknown) {
    this.message = message;
  }
}

/** System messages that shape the trace; the many others (hooks, progress, status) are not kept. */
const KEPT_SYSTEM = new Set(["init", "task_started", "task_notification"]);

/** Builds a query's spans from its log when it ends (`trace-builder.ts`), returning how its call ends. */
export type BuildTrace = (call: Call<QueryLog>, log: QueryLog, ending: Ending, error: unknown) => CallEnd;

/** How a query's stream ended, as far as the caller's calls tell. */
export type Ending = "done" | "error" | "stopped" | "abandoned";

export class QueryLog {
  /** The kept messages (`PromptInput` for prompt messages) and when each arrived (`nowMs()`). */
  readonly entries: unknown[] = [];
  readonly times: number[] = [];
  /** The query's `options`, as the caller passed them (read when the trace is built). */
  declare readonly options: Loose | undefined;
  declare readonly prompt: unknown;
  declare private readonly build: BuildTrace;
  /** Reads in flight: the stale-call sweep leaves the query alone while one is pending. */
  private pending = 0;
  /** Threads (`parent_tool_use_id`) whose streamed message has not had its first content delta yet. */
  private awaitingDelta: Set<unknown> | undefined;
  declare call: Call<QueryLog> | undefined;

  constructor(prompt: unknown, options: Loose | undefined, build: BuildTrace) {
    this.prompt = prompt;
    this.options = options;
    this.build = build;
    this.call = undefined;
  }

  /** Reaction to a read's result (registered before the caller's, so it runs first and adds no hop to theirs). */
  readonly onResult = (r: IteratorResult<unknown>): void => {
    const call = this.call;
    if (!call) return;
    if (--this.pending === 0) call.busy = false;
    if (call.ended) return;
    if (r.done) return this.finish("done");
    call.touch();
    this.add(r.value);
  };

  /** The caller gets the rejection from the SDK's own promise; this only records it. */
  readonly onError = (error: unknown): void => {
    const call = this.call;
    if (!call) return;
    if (--this.pending === 0) call.busy = false;
    this.finish("error", error);
  };

  /** Observes one read (`next()`) and hands back the SDK's own promise. */
  read<T>(p: T): T {
    const call = this.call;
    if (call && !call.ended && p && typeof (p as { then?: unknown }).then === "function") {
      try {
        (p as unknown as Promise<IteratorResult<unknown>>).then(this.onResult, this.onError);
        this.pending++;
        call.busy = true;
      } catch (error) {
        reportError("claude-agent-sdk.read", error); // a thenable that throws: the caller's own await will say so
      }
    }
    return p;
  }

  /** A user message of a streaming prompt, as the SDK reads it. */
  input(message: unknown): void {
    if (this.call && !this.call.ended) {
      this.entries.push(new PromptInput(message));
      this.times.push(nowMs());
    }
  }

  private add(m: unknown): void {
    if (typeof m !== "object" || m === null) return;
    const msg = m as Loose;
    const type = msg.type;
    if (type === "assistant" || type === "user" || type === "result") return this.keep(m);
    if (type === "system") {
      if (KEPT_SYSTEM.has(msg.subtype as string)) this.keep(m);
      return;
    }
    if (type === "stream_event") {
      // `includePartialMessages`: only what usage and timing need (a turn's start, its first delta, its final usage).
      const event = msg.event as Loose | undefined;
      const kind = event?.type;
      const thread = msg.parent_tool_use_id ?? null;
      if (kind === "message_start") {
        (this.awaitingDelta ??= new Set()).add(thread);
        this.keep(m);
      } else if (kind === "message_delta") this.keep(m);
      else if (kind === "content_block_delta" && this.awaitingDelta?.delete(thread)) this.keep(m);
    }
  }

  private keep(m: unknown): void {
    this.entries.push(m);
    this.times.push(nowMs());
  }

  /**
   * Ends the query's call: `done` (the stream ended), `error` (a read failed), `stopped` (the caller stopped early:
   * `return()`, `close()`, disposal), `abandoned` (the kit's stale-call sweep or GC watch). The trace is built from
   * the log off the caller's path.
   */
  finish(ending: Ending, error?: unknown): void {
    const call = this.call;
    if (!call || call.ended) return;
    guard("claude-agent-sdk.finish", () => call.end(() => this.build(call, this, ending, error)));
  }
}
