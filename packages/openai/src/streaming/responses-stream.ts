/**
 * Streamed Responses API events: keeps the text/refusal aggregate (for streams that stop early), opens a
 * TOOL span when a tool-call item starts and ends it when the item is done, and uses the terminal
 * `response.completed` / `response.incomplete` / `response.failed` event's `response` for the result.
 */
import type { Span } from "@pandaprobe/core";
import { META, nowMs } from "@pandaprobe/core/integration";
import type { CallRecorder, CallResult } from "../call-recorder.js";
import type { StreamAccumulator } from "../endpoint.js";
import { reasoningText } from "../extract/responses-input.js";
import { endToolSpan, isToolItem, startToolSpan } from "../extract/responses-tools.js";
import { responseError, responseResult } from "../extract/response-result.js";
import { isObject, type Loose } from "../shapes.js";

export class ResponsesStreamAccumulator implements StreamAccumulator {
  private text: string | undefined;
  private refusal: string | undefined;
  private model: string | undefined;
  private id: string | undefined;
  private final: Loose | undefined;
  private error: unknown;
  private started = false;
  private readonly toolCalls: Loose[] = [];
  private readonly reasoning: string[] = [];
  private readonly openTools = new Map<unknown, Span>();

  constructor(private readonly call: CallRecorder) {}

  onChunk(event: unknown): void {
    if (!isObject(event)) return;
    switch (event.type) {
      case "response.created":
      case "response.in_progress":
        if (isObject(event.response)) {
          if (typeof event.response.model === "string") this.model = event.response.model;
          if (typeof event.response.id === "string") this.id = event.response.id;
        }
        return;
      case "response.output_text.delta":
        if (typeof event.delta === "string") this.text = (this.text ?? "") + event.delta;
        return this.firstToken();
      case "response.refusal.delta":
        if (typeof event.delta === "string") this.refusal = (this.refusal ?? "") + event.delta;
        return this.firstToken();
      case "response.function_call_arguments.delta":
      case "response.custom_tool_call_input.delta":
        return this.firstToken();
      case "response.output_item.added":
        if (isToolItem(event.item))
          this.openTools.set(event.output_index, startToolSpan(this.call.span, event.item, nowMs()));
        return;
      case "response.output_item.done":
        return this.itemDone(event.output_index, event.item);
      case "response.completed":
      case "response.incomplete":
      case "response.failed":
        if (isObject(event.response)) this.final = event.response;
        return;
      case "error":
        this.error = responseError(event);
        return;
    }
  }

  private firstToken(): void {
    if (this.started) return;
    this.started = true;
    this.call.firstToken();
  }

  private itemDone(index: unknown, item: unknown): void {
    if (!isObject(item)) return;
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

  result(completed: boolean): CallResult {
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
