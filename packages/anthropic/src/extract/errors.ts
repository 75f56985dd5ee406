/** Error details worth keeping on a span, read from the Anthropic SDK's `APIError` (0.50 to 1.x). */
import { isLoose, META } from "@pandaprobe/core/integration";

/** Span metadata for an error: HTTP status, Anthropic error type (`overloaded_error`, ...) and code, request id. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!isLoose(error)) return {};
  const out: Record<string, unknown> = {};
  // 1.x names its errors (`OverloadedError`); 0.x errors are named `Error`, their class says more.
  const name = typeof error.name === "string" && error.name !== "Error" ? error.name : error.constructor?.name;
  if (typeof name === "string" && name && name !== "Object") out[META.ERROR_NAME] = name;
  if (typeof error.status === "number") out[META.ERROR_STATUS] = error.status;
  // `type` on 1.x errors; the response body (`{ type: "error", error: { type, message } }`) on every release.
  const body = isLoose(error.error) ? error.error : undefined;
  const type = typeof error.type === "string" ? error.type : isLoose(body?.error) ? body.error.type : undefined;
  if (typeof type === "string") out[META.ERROR_TYPE] = type;
  if (typeof error.errorCode === "string") out[META.ERROR_CODE] = error.errorCode;
  const requestId = error.requestID ?? body?.request_id;
  if (typeof requestId === "string" && requestId) out[META.REQUEST_ID] = requestId;
  return out;
}
