import { currentFrame } from "../context/frame.js";
import { extractLastAssistantMessage, extractLastUserMessage } from "../messages.js";
import type { TraceOptions } from "../types.js";
import { guard } from "../utils/guard.js";
import { runSettled } from "./settle.js";
import { createTrace } from "./start.js";

/** Options of `trace(fn, options)`. */
export interface TraceFnOptions extends Omit<TraceOptions, "input" | "traceId" | "startTime"> {
  /** Trace name (default: the function's name, else "trace"). */
  name?: string;
  /** Record the arguments as input (default true), or map them to the input you want. */
  captureInput?: boolean | ((args: unknown[]) => unknown);
  /** Record the return value as output (default true), or map it to the output you want. */
  captureOutput?: boolean | ((result: unknown) => unknown);
}

/**
 * Wraps a function so every call is a trace (like the Python SDK's `@trace`). Input comes from the
 * arguments (one argument: itself; several: the array), output from the return value (awaited for
 * async functions); when they follow the messages convention, the trace keeps the last user message
 * as input and the last assistant message as output. The wrapper returns and throws exactly what
 * `fn` does. A generator function (`async function*` streaming a reply) is traced until its generator is done
 * (or the consumer stops early); its output is the return value, else the yielded strings joined (or the values).
 * @example const answer = trace(async (messages) => llm(messages), { name: "answer" })
 */
export function trace<A extends unknown[], R>(fn: (...args: A) => R, options: TraceFnOptions = {}): (...args: A) => R {
  const name = options.name || fn.name || "trace";
  const { captureInput = true, captureOutput = true } = options;
  const wrapped = function (this: unknown, ...args: A): R {
    const t = guard("trace()", () => {
      const input =
        captureInput === false
          ? undefined
          : typeof captureInput === "function"
            ? captureInput(args)
            : extractLastUserMessage(args.length === 1 ? args[0] : args);
      return createTrace(name, { ...options, input });
    });
    if (!t) return fn.apply(this, args);
    return runSettled(
      { ...currentFrame(), trace: t, span: undefined, detached: false },
      () => fn.apply(this, args),
      (result) =>
        guard("trace() output", () => {
          if (captureOutput !== false)
            t.setOutput(
              typeof captureOutput === "function" ? captureOutput(result) : extractLastAssistantMessage(result),
            );
          t.end();
        }),
      (error) =>
        guard("trace() error", () => {
          t.setError(error);
          t.end();
        }),
      captureOutput !== false,
    );
  };
  Object.defineProperty(wrapped, "name", { value: fn.name, configurable: true });
  return wrapped;
}
