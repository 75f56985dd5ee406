/** Error details worth keeping on a span, read from the OpenAI SDK's `APIError` (every major). */
import { isObject } from "./shapes.js";

/** Span metadata for an error: HTTP status, OpenAI error type/code, request id, abort marker. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!isObject(error)) return {};
  const out: Record<string, unknown> = {};
  const name = error.constructor?.name ?? error.name;
  if (typeof name === "string" && name !== "Object") out.error_name = name;
  if (typeof error.status === "number") out.error_status = error.status;
  if (typeof error.type === "string") out.error_type = error.type;
  if (typeof error.code === "string" || typeof error.code === "number") out.error_code = error.code;
  const requestId = error.request_id ?? error.requestID; // 4.x / 5+
  if (typeof requestId === "string") out.request_id = requestId;
  return out;
}
