/** The query's result message (the SDK's `SDKResultMessage`): its outcome in the trace's terms. */
import type { Loose } from "@pandaprobe/core/integration";

/** The error a result reports (`is_error`, or an error subtype such as `error_max_turns`), else undefined. */
export function resultError(result: Loose): Error | undefined {
  const subtype = typeof result.subtype === "string" ? result.subtype : undefined;
  if (result.is_error !== true && (subtype === undefined || subtype === "success")) return undefined;
  const errors = Array.isArray(result.errors) ? result.errors.filter((e) => typeof e === "string" && e) : [];
  const text = errors.length ? errors.join("; ") : typeof result.result === "string" ? result.result : undefined;
  const error = new Error(text || subtype || "the query ended with an error");
  error.name = subtype && subtype !== "success" ? subtype : "ClaudeAgentError";
  return error;
}

/** Why the query stopped: the model's stop reason on success, else the result's subtype. */
export function finishReason(result: Loose): string | undefined {
  if (result.subtype === "success" && typeof result.stop_reason === "string") return result.stop_reason;
  return typeof result.subtype === "string" ? result.subtype : undefined;
}

/** The final text of the query, as an assistant message. */
export function resultOutput(result: Loose): Loose | undefined {
  return typeof result.result === "string" ? { messages: [{ role: "assistant", content: result.result }] } : undefined;
}
