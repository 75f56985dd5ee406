import { guard } from "@pandaprobe/core";
import type { Attrs } from "./map-attributes.js";

const HEX = "0123456789abcdef";
function hexId(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += HEX[(Math.random() * 16) | 0];
  return out;
}

/** What happens when the AI SDK ends a span (set by the tracer). */
export type OnOtelSpanEnd = (span: OtelSpan, endTime: number | undefined) => void;

/**
 * The OpenTelemetry `Span` handed to the AI SDK: it only collects attributes, events and the
 * error, and reports them once on `end()`. It never touches the global OTel API.
 */
export class OtelSpan {
  readonly attributes: Attrs;
  error: unknown;
  firstChunkAt: number | undefined;
  ended = false;
  /** Ids are made only when the AI SDK asks for them (it rarely does). */
  private context: { traceId: string; spanId: string; traceFlags: number } | undefined;
  /** Set by the tracer: what this span maps to (avoids a side table lookup per event). */
  binding: unknown;

  constructor(
    public name: string,
    attributes: Attrs | undefined,
    private readonly onEnd: OnOtelSpanEnd | undefined,
  ) {
    this.attributes = { ...attributes };
  }

  spanContext() {
    return (this.context ??= { traceId: hexId(32), spanId: hexId(16), traceFlags: 1 });
  }

  setAttribute(key: string, value: unknown): this {
    if (value !== undefined) this.attributes[key] = value;
    return this;
  }

  setAttributes(attributes: Attrs): this {
    if (attributes && typeof attributes === "object") {
      for (const key in attributes) if (attributes[key] !== undefined) this.attributes[key] = attributes[key];
    }
    return this;
  }

  addEvent(name: string, ..._rest: unknown[]): this {
    if (name === "ai.stream.firstChunk" && this.firstChunkAt === undefined) this.firstChunkAt = Date.now();
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

  end(endTime?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    const time =
      typeof endTime === "number"
        ? endTime
        : endTime instanceof Date
          ? endTime.getTime()
          : Array.isArray(endTime)
            ? endTime[0] * 1000 + endTime[1] / 1e6
            : undefined;
    if (this.onEnd) guard("vercel-ai.otel.end", () => this.onEnd!(this, time));
  }
}
