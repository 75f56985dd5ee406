/**
 * Trace-level input/output (the messages convention): the last user message of the root input
 * and the last assistant message of the root output, else the raw (normalised) values.
 */
import { extractLastAssistantMessage, extractLastUserMessage } from "@pandaprobe/core";

/** Trace input from the root run's (already normalised) span input. */
export function traceInputOf(input: unknown): unknown {
  return extractLastUserMessage(input) ?? input;
}

/** Trace output from the root run's (already normalised) output; interrupts are shown when the run paused. */
export function traceOutputOf(output: unknown, interrupts: unknown[] | undefined): unknown {
  const out = extractLastAssistantMessage(output) ?? output;
  if (!interrupts) return out;
  if (typeof out === "object" && out !== null && !Array.isArray(out)) return { ...out, __interrupt__: interrupts };
  return { output: out, __interrupt__: interrupts };
}
