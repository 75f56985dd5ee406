import type { Span } from "@pandaprobe/core";
import { type Call, guard, nowMs } from "@pandaprobe/core/integration";
import type { Attrs } from "../extract/otel-attributes.js";
import type { OperationInfo } from "../extract/operations.js";

const HEX = "0123456789abcdef";
function hexId(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += HEX[(Math.random() * 16) | 0];
  return out;
}

/** Per-call state of the tracer (one AI SDK call), kept on its kit call: what is open under its root span. */
export interface CallState {
  /** `ai.generateText`, `ai.embedMany`, ... */
  operation: string;
  info: OperationInfo;
  /** The kit call (its root span is the call's), set right after it starts. */
  call: Call<CallState>;
  /** The AI SDK's root span (its attributes feed the root's input, output and metadata). */
  otel: OtelSpan;
  steps: number;
  step: Span | undefined;
  /** When the step's last child ended (the step ends then, on the kit's clock). */
  stepLastEnd: number | undefined;
  /** Child spans (an aborted stream leaves its model call open: the call's end closes it). */
  children: OtelSpan[];
}

/** Who is told when the AI SDK ends a span (the tracer). */
export interface OtelSpanOwner {
  close(span: OtelSpan, endTime: number): void;
}

/**
 * The OpenTelemetry `Span` handed to the AI SDK. It keeps the attribute records it is given
 * (the AI SDK builds a fresh one per call and never touches it again) and reads them once, after
 * the span ends, off the caller's path. It never touches the global OTel API.
 */
export class OtelSpan {
  /** Attribute records in the order they were set (merged by `collectAttributes`). */
  readonly bags: Attrs[];
  error: unknown = undefined;
  firstChunkAt: number | undefined = undefined;
  ended = false;
  /** Set by the tracer: the PandaProbe span this maps to, its call, and when it started (the kit's clock). */
  core: Span | undefined = undefined;
  call: CallState | undefined = undefined;
  startedAt = 0;
  /** Ids are made only when the AI SDK asks for them (it rarely does). */
  private context: { traceId: string; spanId: string; traceFlags: number } | undefined = undefined;

  constructor(
    public name: string,
    attributes: Attrs | undefined,
    private readonly owner: OtelSpanOwner | undefined,
  ) {
    this.bags = attributes && typeof attributes === "object" ? [attributes] : [];
  }

  spanContext() {
    return (this.context ??= { traceId: hexId(32), spanId: hexId(16), traceFlags: 1 });
  }

  setAttribute(key: string, value: unknown): this {
    if (!this.ended && value !== undefined) this.bags.push({ [key]: value });
    return this;
  }

  setAttributes(attributes: Attrs): this {
    if (!this.ended && attributes && typeof attributes === "object") this.bags.push(attributes);
    return this;
  }

  addEvent(name: string, ..._rest: unknown[]): this {
    if (name === "ai.stream.firstChunk" && this.firstChunkAt === undefined) this.firstChunkAt = nowMs();
    return this;
  }

  addLink(): this {
    return this;
  }

  addLinks(): this {
    return this;
  }

  setStatus(status: { code?: number; message?: string }): this {
    // SpanStatusCode.ERROR === 2
    if (status?.code === 2 && this.error === undefined) this.error = status.message || "error";
    return this;
  }

  recordException(exception: unknown): this {
    const e = exception as { message?: unknown } | string | undefined;
    const message = typeof e === "string" ? e : typeof e?.message === "string" ? e.message : undefined;
    if (message) this.error = message;
    return this;
  }

  updateName(name: string): this {
    this.name = name;
    return this;
  }

  isRecording(): boolean {
    return true;
  }

  /** Ends the span now, on the kit's clock (an end time the caller passes is on another clock: it is not used). */
  end(_endTime?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.owner) return;
    const owner = this.owner;
    const time = nowMs();
    guard("vercel-ai.otel.end", () => owner.close(this, time));
  }
}
