import { currentFrame } from "../context/frame.js";
import { extractLastAssistantMessage, extractLastUserMessage } from "../messages.js";
import { createTrace } from "../tracing/create.js";
import { NOOP_SPAN, NOOP_TRACE } from "../tracing/noop.js";
import { TRACE_KEYS } from "../tracing/options.js";
import { endWithError } from "../tracing/run.js";
import { runSettled } from "../tracing/settle.js";
import type { Span, Trace } from "../types.js";
import { reportInternal } from "../utils/guard.js";
import { logger } from "../utils/logger.js";
import { readOptions } from "../utils/read-options.js";
import { sinkOf } from "./client-of.js";
import type { StartSpanOptions, TraceOptions } from "./options.js";
import { newSpan } from "./span.js";

/** How a traced function or method records its arguments and result. */
interface CaptureOptions {
  /** Record the arguments as input (default true), or map them to the input you want. */
  captureInput?: boolean | ((args: unknown[]) => unknown);
  /** Record the return value as output (default true), or map it to the output you want. */
  captureOutput?: boolean | ((result: unknown) => unknown);
}

/** Options of `trace(fn, options)` and of the `@trace(options)` decorator. */
export interface TraceFnOptions extends Omit<TraceOptions, "input" | "traceId" | "startTime">, CaptureOptions {
  /** Trace name (default: the function's or method's name, else "trace"). */
  name?: string;
}

/** Options of the `@span(options)` decorator. */
export interface SpanFnOptions
  extends Omit<StartSpanOptions, "input" | "spanId" | "startTime" | "parent">,
    CaptureOptions {
  /** Span name (default: the method's name). */
  name?: string;
}

/** What the TypeScript 5 standard decorators hand a method decorator (the part used here). */
export interface MethodDecoratorContext {
  readonly kind: "method";
  readonly name: string | symbol;
}

/**
 * A class-method decorator that works with TypeScript 5 standard decorators and with legacy
 * `experimentalDecorators` alike.
 */
export interface MethodDecorator {
  // biome-ignore lint/suspicious/noExplicitAny: a decorator takes methods of any signature
  <F extends (...args: any[]) => any>(method: F, context: MethodDecoratorContext): F;
  <T>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<T>): TypedPropertyDescriptor<T>;
}

const CAPTURE_KEYS = ["name", "captureInput", "captureOutput", "client"] as const;
const SPAN_FN_KEYS = ["name", "captureInput", "captureOutput", "kind", "metadata", "model", "modelParameters"] as const;
const START_KEYS = ["traceName", "trace"] as const;

/**
 * Wraps a function so every call is a trace (like the Python SDK's `@trace`). Input comes from the arguments (one
 * argument: itself; several: the array), output from the return value (awaited for async functions); when they
 * follow the messages convention, the trace keeps the last user message as input and the last assistant message as
 * output. The wrapper returns and throws exactly what `fn` does. A generator function (`async function*` streaming a
 * reply) is traced until its generator is done (or the consumer stops early); its output is the return value, else
 * the yielded strings joined (or the values).
 *
 * Called with options only, it is a class-method decorator: `@trace({ name })` (standard and legacy decorators).
 * @example const answer = trace(async (messages) => llm(messages), { name: "answer" })
 * @example class Agent { @trace() async run(question: string) { ... } }
 */
export function trace<A extends unknown[], R>(fn: (...args: A) => R, options?: TraceFnOptions): (...args: A) => R;
export function trace(options?: TraceFnOptions): MethodDecorator;
export function trace(first?: unknown, second?: unknown, third?: unknown): unknown {
  if (isDecoratorCall(second, third)) return decorate(first, second, third, undefined, "trace"); // bare `@trace`
  if (typeof first === "function") return traceFunction(first as (...args: unknown[]) => unknown, second);
  return decorator(first, "trace");
}

/**
 * A class-method decorator: every call of the method runs in a span made current (nested under the current span,
 * or in a standalone trace when none is active), with the arguments as input and the result as output. Works with
 * TypeScript 5 standard decorators and legacy `experimentalDecorators`.
 * @example class Retriever { @span({ kind: "RETRIEVER" }) async search(query: string) { ... } }
 */
export function span(options?: SpanFnOptions): MethodDecorator {
  if (isDecoratorCall(arguments[1], arguments[2])) {
    // bare `@span`
    return decorate(options, arguments[1], arguments[2], undefined, "span") as MethodDecorator;
  }
  return decorator(options, "span");
}

function decorator(options: unknown, kind: "trace" | "span"): MethodDecorator {
  return ((target: unknown, context: unknown, descriptor: unknown) =>
    decorate(target, context, descriptor, options, kind)) as MethodDecorator;
}

/** True for the arguments a decorator gets: a standard decorator context, or a legacy property descriptor. */
function isDecoratorCall(context: unknown, descriptor: unknown): boolean {
  try {
    if (descriptor !== undefined) {
      return (
        typeof descriptor === "object" &&
        descriptor !== null &&
        (typeof context === "string" || typeof context === "symbol") &&
        "value" in descriptor
      );
    }
    return (
      typeof context === "object" &&
      context !== null &&
      typeof (context as { kind?: unknown }).kind === "string" &&
      typeof (context as { addInitializer?: unknown }).addInitializer === "function"
    );
  } catch {
    return false;
  }
}

/** Applies the decorator in either mode; anything but a method is left as it is, with a warning. */
function decorate(
  target: unknown,
  context: unknown,
  descriptor: unknown,
  options: unknown,
  kind: "trace" | "span",
): unknown {
  try {
    if (descriptor !== undefined) {
      // Legacy `experimentalDecorators`: (prototype, name, descriptor) => descriptor.
      const d = descriptor as PropertyDescriptor;
      if (typeof d.value !== "function") return warnNotMethod(kind, descriptor);
      d.value = wrapMethod(d.value, nameOf(context), options, kind);
      return d;
    }
    // TypeScript 5 standard decorators: (method, context) => replacement.
    const ctx = context as MethodDecoratorContext;
    if (ctx.kind !== "method" || typeof target !== "function") return warnNotMethod(kind, undefined);
    return wrapMethod(target as (...args: unknown[]) => unknown, nameOf(ctx.name), options, kind);
  } catch (error) {
    reportInternal(`@${kind}`, error);
    return descriptor;
  }
}

function warnNotMethod(kind: string, result: unknown): unknown {
  logger.warnOnce(`decorator:${kind}`, `@${kind}() decorates class methods only; it was ignored here.`);
  return result;
}

function nameOf(name: unknown): string {
  return typeof name === "string" ? name : typeof name === "symbol" ? (name.description ?? "method") : "method";
}

function wrapMethod(
  method: (...args: unknown[]) => unknown,
  methodName: string,
  options: unknown,
  kind: "trace" | "span",
): (...args: unknown[]) => unknown {
  return kind === "trace" ? traceFunction(method, options, methodName) : spanFunction(method, options, methodName);
}

/** The input a traced call records: one argument itself, several as an array (or `captureInput`'s mapping). */
function inputOf(capture: unknown, args: unknown[], where: string): unknown {
  if (capture === false) return undefined;
  try {
    return typeof capture === "function" ? capture(args) : args.length === 1 ? args[0] : args;
  } catch (error) {
    reportInternal(`${where} captureInput`, error);
    return undefined;
  }
}

/** The output a traced call records (or `captureOutput`'s mapping). */
function outputOf(capture: unknown, result: unknown, where: string): unknown {
  try {
    return typeof capture === "function" ? capture(result) : result;
  } catch (error) {
    reportInternal(`${where} captureOutput`, error);
    return undefined;
  }
}

const TRACE_FN_KEYS = [
  ...CAPTURE_KEYS,
  ...TRACE_KEYS.filter((k) => k !== "input" && k !== "traceId" && k !== "startTime"),
];

function traceFunction(
  fn: (...args: unknown[]) => unknown,
  options: unknown,
  methodName?: unknown,
): (...args: unknown[]) => unknown {
  const base = readOptions(options, TRACE_FN_KEYS, "trace");
  const name = base.name || methodName || readFnName(fn) || "trace";
  const { captureInput = true, captureOutput = true } = base;
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const sink = sinkOf(base.client, "trace");
    const input = inputOf(captureInput, args, "trace()");
    const traced = { ...base, input: captureInput === true ? extractLastUserMessage(input) : input };
    const t = sink ? createTrace(sink, name, traced, "trace") : NOOP_TRACE;
    if (t === NOOP_TRACE) return fn.apply(this, args);
    return runSettled(
      { ...currentFrame(), trace: t, span: undefined, detached: false },
      () => fn.apply(this, args),
      (result) => endWithOutput(t, captureOutput, result, true),
      (error) => endWithError(t, error),
      captureOutput !== false,
    );
  };
  keepName(wrapped, fn);
  return wrapped;
}

function spanFunction(
  fn: (...args: unknown[]) => unknown,
  options: unknown,
  name: unknown,
): (...args: unknown[]) => unknown {
  const base = readOptions(options, [...SPAN_FN_KEYS, ...START_KEYS], "@span");
  const { captureInput = true, captureOutput = true } = base;
  const spanName = base.name || name;
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const s = newSpan(spanName, { ...base, input: inputOf(captureInput, args, "@span") }, "@span");
    if (s === NOOP_SPAN) return fn.apply(this, args);
    return runSettled(
      { ...currentFrame(), trace: s.trace, span: s, detached: false },
      () => fn.apply(this, args),
      (result) => endWithOutput(s, captureOutput, result, false),
      (error) => endWithError(s, error),
      captureOutput !== false,
    );
  };
  keepName(wrapped, fn);
  return wrapped;
}

/** Records the output (unless `captureOutput` is false) and ends; the end happens whatever the mapping does. */
function endWithOutput(target: Trace | Span, capture: unknown, result: unknown, messages: boolean): void {
  try {
    if (capture !== false) {
      const output = outputOf(capture, result, "trace()");
      target.setOutput(capture === true && messages ? extractLastAssistantMessage(output) : output);
    }
  } finally {
    target.end();
  }
}

function readFnName(fn: unknown): string | undefined {
  try {
    const name = (fn as { name?: unknown }).name;
    return typeof name === "string" && name !== "" ? name : undefined;
  } catch {
    return undefined;
  }
}

function keepName(wrapped: unknown, fn: unknown): void {
  try {
    Object.defineProperty(wrapped, "name", { value: readFnName(fn) ?? "", configurable: true });
  } catch {
    /* a name is cosmetic */
  }
}
