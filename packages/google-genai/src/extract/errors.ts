/** Error details worth keeping on a span, read from the Google Gen AI SDK's `ApiError` (every major) and aborts. */
import { isLoose, META } from "@pandaprobe/core/integration";

/** Span metadata for an error: class name, HTTP status, Google's status name (`RESOURCE_EXHAUSTED`) and code, abort. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!isLoose(error)) return {};
  const out: Record<string, unknown> = {};
  const name = typeof error.name === "string" && error.name !== "Error" ? error.name : error.constructor?.name;
  if (typeof name === "string" && name !== "Object") out[META.ERROR_NAME] = name;
  if (typeof error.status === "number") out[META.ERROR_STATUS] = error.status;
  if (name === "AbortError") out[META.ABORTED] = true;
  // ApiError's message is the JSON error body (`{"error":{"code":429,"message":...,"status":"RESOURCE_EXHAUSTED"}}`),
  // after "got status: X. " for an error sent inside a stream.
  const message = typeof error.message === "string" ? error.message : "";
  const start = message.indexOf("{");
  if (start >= 0 && message.endsWith("}")) {
    try {
      const body = JSON.parse(message.slice(start)) as unknown;
      const e = isLoose(body) ? body.error : undefined;
      if (isLoose(e)) {
        if (typeof e.status === "string") out[META.ERROR_TYPE] = e.status;
        if (typeof e.code === "number" || typeof e.code === "string") out[META.ERROR_CODE] = e.code;
      }
    } catch {
      /* not a JSON error body */
    }
  }
  return out;
}
