/** What a span keeps of the Mistral SDK's errors (`SDKError`/`MistralError`, `HTTPValidationError`, client errors). */
import { isLoose, META, parseJsonOrRaw } from "@pandaprobe/core/integration";

/** Mistral's request id header (on errors; the SDK does not expose a successful response's headers). */
const REQUEST_ID_HEADER = "mistral-correlation-id";
/** Error bodies longer than this are not parsed for their type and code. */
const MAX_BODY = 64 * 1024;

/** Span metadata for an error: class name, HTTP status, Mistral's error type and code, request id. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!isLoose(error)) return {};
  const out: Record<string, unknown> = {};
  const name = typeof error.name === "string" && error.name !== "Error" ? error.name : error.constructor?.name;
  if (typeof name === "string" && name !== "Object") out[META.ERROR_NAME] = name;
  const response = isLoose(error.rawResponse) ? error.rawResponse : undefined;
  // 1.0's HTTPValidationError carries no response; the SDK raises it for 422 only.
  const status = error.statusCode ?? response?.status ?? (name === "HTTPValidationError" ? 422 : undefined);
  if (typeof status === "number") out[META.ERROR_STATUS] = status;
  const body = typeof error.body === "string" && error.body.length <= MAX_BODY ? parseJsonOrRaw(error.body) : undefined;
  if (isLoose(body)) {
    if (typeof body.type === "string") out[META.ERROR_TYPE] = body.type;
    if (typeof body.code === "string" || typeof body.code === "number") out[META.ERROR_CODE] = body.code;
  }
  const headers = isLoose(error.headers) ? error.headers : response?.headers;
  const requestId = typeof headers?.get === "function" ? headers.get(REQUEST_ID_HEADER) : undefined;
  if (typeof requestId === "string" && requestId) out[META.REQUEST_ID] = requestId;
  return out;
}
