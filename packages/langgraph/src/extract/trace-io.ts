/** The trace output of a run that paused on `interrupt()`: the output and the interrupt values (else the kit's default). */
import { extractLastAssistantMessage } from "@pandaprobe/core/integration";

/** Trace output from the root run's (already normalised) output, with the interrupts the run paused on. */
export function interruptedOutput(output: unknown, interrupts: unknown[]): unknown {
  const out = extractLastAssistantMessage(output) ?? output;
  if (typeof out === "object" && out !== null && !Array.isArray(out)) return { ...out, __interrupt__: interrupts };
  return { output: out, __interrupt__: interrupts };
}
