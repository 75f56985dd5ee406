/** Error details worth keeping on a span, read from the OpenAI SDK's `APIError` (every major). */
import { isLoose, META } from "@pandaprobe/core/integration";

/** Span metadata for an error: HTTP status, OpenAI error type/code, request id, abort marker. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!isLoose(error)) return {};
  const out: Record<string, unknown> = {};
  const name = error.constructor?.name ?? error.name;
  if (typeof name === "string" && name !== "Object") out[META.ERROR_NAME] = name;
  if (typeof error.status === "number") out[META.ERROR_STATUS] = error.status;
  if (typeof error.type === "string") out[META.ERROR_TYPE] = error.type;
  if (typeof error.code === "string" || typeof error.code === "number") out[META.ERROR_CODE] = error.code;
  const requestId = error.request_id ?? error.requestID; // 4.x / 5+
  if (typeof requestId === "string") out[META.REQUEST_ID] = requestId;
  return out;
}
