/**
 * Streamed Responses API events: keeps the text/refusal aggregate (for streams that stop early), opens a
 * TOOL span when a tool-call item starts and ends it when the item is done, and uses the terminal
 * `response.completed` / `response.incomplete` / `response.failed` event's `response` for the result.
 */
import type { Span } from "@pandaprobe/core";
import {
  isLoose,
  type Loose,
  META,
  type ModelResult,
  nowMs,
  reasoningText,
  type StreamAccumulator,
} from "@pandaprobe/core/integration";
import type { CallRecorder } from "../call-recorder.js";
import { endToolSpan, isToolItem, startToolSpan } from "../extract/responses-tools.js";
import { responseError, responseResult } from "../extract/response-result.js";

export class ResponsesStreamAccumulator implements StreamAccumulator {
  private text: string | undefined;
  private refusal: string | undefined;
  private model: string | undefined;
  private id: string | undefined;
  private final: Loose | undefined;
  private error: unknown;
  private readonly toolCalls: Loose[] = [];
  private readonly reasoning: string[] = [];
  private readonly openTools = new Map<unknown, Span>();

  constructor(private readonly call: CallRecorder) {}

  /** True for the events that carry output (text, refusal, tool-call argument deltas). */
  add(event: unknown): boolean {
    if (!isLoose(event)) return false;
    switch (event.type) {
      case "response.created":
      case "response.in_progress":
        if (isLoose(event.response)) {
          if (typeof event.response.model === "string") this.model = event.response.model;
          if (typeof event.response.id === "string") this.id = event.response.id;
        }
        return false;
      case "response.output_text.delta":
        if (typeof event.delta === "string") this.text = (this.text ?? "") + event.delta;
        return true;
      case "response.refusal.delta":
        if (typeof event.delta === "string") this.refusal = (this.refusal ?? "") + event.delta;
        return true;
      case "response.function_call_arguments.delta":
      case "response.custom_tool_call_input.delta":
        return true;
      case "response.output_item.added":
        if (isToolItem(event.item))
          this.openTools.set(event.output_index, startToolSpan(this.call.span, event.item, nowMs()));
        return false;
      case "response.output_item.done":
        this.itemDone(event.output_index, event.item);
        return false;
      case "response.completed":
      case "response.incomplete":
      case "response.failed":
        if (isLoose(event.response)) this.final = event.response;
        return false;
      case "error":
        this.error = responseError(event);
        return false;
    }
    return false;
  }

  private itemDone(index: unknown, item: unknown): void {
    if (!isLoose(item)) return;
    if (item.type === "reasoning") {
      const summary = reasoningText(item);
      if (summary) this.reasoning.push(summary);
    }
    if (!isToolItem(item)) return;
    if (item.type === "function_call") {
      this.toolCalls.push({
        id: item.call_id,
        type: "function",
        function: { name: item.name, arguments: item.arguments },
      });
    }
    const span = this.openTools.get(index) ?? startToolSpan(this.call.span, item, nowMs());
    this.openTools.delete(index);
    endToolSpan(span, item, nowMs());
  }

  result(completed: boolean): ModelResult {
    // Tool items the stream never finished end with the call (this runs later, off the caller's path).
    const endTime = this.call.call.endTime;
    for (const span of this.openTools.values()) span.end({ output: { status: "incomplete" }, endTime });
    this.openTools.clear();
    const streamed = { [META.STREAMED]: true, ...(completed ? {} : { [META.STREAM_COMPLETED]: false }) };
    if (this.final) {
      const result = responseResult(this.call, this.final, false);
      return { ...result, metadata: { ...result.metadata, ...streamed }, error: result.error ?? this.error };
    }
    const message: Loose = { role: "assistant", content: this.text ?? null };
    if (this.refusal !== undefined) message.refusal = this.refusal;
    if (this.toolCalls.length) message.tool_calls = this.toolCalls;
    const metadata: Record<string, unknown> = { ...streamed };
    if (this.id) metadata[META.RESPONSE_ID] = this.id;
    if (this.reasoning.length) metadata[META.REASONING_SUMMARY] = this.reasoning.join("\n\n");
    const hasOutput = this.text !== undefined || this.refusal !== undefined || this.toolCalls.length > 0;
    return { output: hasOutput ? { messages: [message] } : undefined, model: this.model, metadata, error: this.error };
  }
}
