/**
 * An Agents SDK span error (`{ message, data }`) -> the span's error text and metadata. The SDK hands processors
 * text, not the error object: the error's class name is read from `data.error` (`String(error)`, e.g.
 * `InputGuardrailTripwireTriggered: ...`), and an OpenAI HTTP status from the OpenAI client's message format
 * (`400 <message>`) on model calls.
 */
import { compact, isRecord, META } from "@pandaprobe/core/integration";
import type { AgentsSpanError } from "../types.js";

export interface SpanFailure {
  error: string;
  metadata: Record<string, unknown> | undefined;
}

const NAMED = /^([A-Za-z_$][\w$]*): /;
const STATUS = /(?:^|: )([1-5]\d\d) /;

/** The failure an SDK span reports (`withStatus`: also look for an HTTP status, for model calls); undefined when it has none. */
export function spanFailure(error: AgentsSpanError | null | undefined, withStatus: boolean): SpanFailure | undefined {
  if (!isRecord(error)) return undefined;
  const message = typeof error.message === "string" && error.message ? error.message : "error";
  const detail = isRecord(error.data) && typeof error.data.error === "string" ? error.data.error : undefined;
  const text = detail && !message.includes(detail) ? `${message}: ${detail}` : message;
  const name = detail ? NAMED.exec(detail)?.[1] : undefined;
  const status = withStatus ? (STATUS.exec(message) ?? (detail ? STATUS.exec(detail) : null))?.[1] : undefined;
  return {
    error: text,
    metadata: compact({
      [META.ERROR_NAME]: name && name !== "Error" ? name : undefined,
      [META.ERROR_STATUS]: status ? Number(status) : undefined,
    }),
  };
}
