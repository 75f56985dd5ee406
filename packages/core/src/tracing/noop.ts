import type { Span, SpanKind, Trace } from "../types.js";
import { callbackOf } from "./callback.js";

/** The id of the no-op trace and span: the nil UUID, so it can never be mistaken for a recorded one. */
export const NIL_ID = "00000000-0000-0000-0000-000000000000";

/**
 * What user code gets when tracing cannot work (an internal failure): a trace whose every method works and does
 * nothing, so a callback never receives `undefined`.
 */
class NoopTrace implements Trace {
  readonly id = NIL_ID;
  readonly name = "noop";
  readonly ended = false;
  readonly userId = undefined;
  readonly sessionId = undefined;
  setName(): this {
    return this;
  }
  setInput(): this {
    return this;
  }
  setOutput(): this {
    return this;
  }
  setMetadata(): this {
    return this;
  }
  addTags(): this {
    return this;
  }
  setUserId(): this {
    return this;
  }
  setSessionId(): this {
    return this;
  }
  setStatus(): this {
    return this;
  }
  setError(): this {
    return this;
  }
  startSpan(): Span {
    return NOOP_SPAN;
  }
  withSpan<T>(_name: string, optionsOrFn: unknown, fn?: (span: Span) => T): T {
    return callbackOf<Span, T>(optionsOrFn, fn, "withSpan")(NOOP_SPAN);
  }
  span<T>(_name: string, _options: unknown, fn: (span: Span) => T): T {
    return callbackOf<Span, T>(undefined, fn, "span")(NOOP_SPAN);
  }
  end(): void {}
}

/** The span counterpart of the no-op trace. */
class NoopSpan implements Span {
  readonly id = NIL_ID;
  readonly traceId = NIL_ID;
  readonly parentId = undefined;
  readonly name = "noop";
  readonly kind: SpanKind = "OTHER";
  readonly ended = false;
  get trace(): Trace {
    return NOOP_TRACE;
  }
  setName(): this {
    return this;
  }
  setKind(): this {
    return this;
  }
  setInput(): this {
    return this;
  }
  setOutput(): this {
    return this;
  }
  setModel(): this {
    return this;
  }
  setModelParameters(): this {
    return this;
  }
  setTokenUsage(): this {
    return this;
  }
  setCost(): this {
    return this;
  }
  setCompletionStartTime(): this {
    return this;
  }
  setMetadata(): this {
    return this;
  }
  setError(): this {
    return this;
  }
  setStatus(): this {
    return this;
  }
  startSpan(): Span {
    return this;
  }
  withSpan<T>(_name: string, optionsOrFn: unknown, fn?: (span: Span) => T): T {
    return callbackOf<Span, T>(optionsOrFn, fn, "withSpan")(this);
  }
  end(): void {}
}

export const NOOP_TRACE: Trace = Object.freeze(new NoopTrace());
export const NOOP_SPAN: Span = Object.freeze(new NoopSpan());
