/** Error details worth keeping on a span, read from the AWS SDK's `ServiceException` (and network errors). */
import { isLoose, META } from "@pandaprobe/core/integration";

/**
 * Span metadata for an error: its name (`ThrottlingException`, `ValidationException`, `AbortError`, ...), HTTP status,
 * fault (`client` or `server`, as `error_type`), AWS request id, and a model error's original status (`error_code`).
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (!isLoose(error)) return {};
  const out: Record<string, unknown> = {};
  if (typeof error.name === "string" && error.name !== "Error") out[META.ERROR_NAME] = error.name;
  const meta = isLoose(error.$metadata) ? error.$metadata : undefined;
  if (typeof meta?.httpStatusCode === "number") out[META.ERROR_STATUS] = meta.httpStatusCode;
  if (typeof error.$fault === "string") out[META.ERROR_TYPE] = error.$fault;
  if (typeof error.originalStatusCode === "number") out[META.ERROR_CODE] = error.originalStatusCode;
  if (typeof meta?.requestId === "string") out[META.REQUEST_ID] = meta.requestId;
  if (error.name === "AbortError") out[META.ABORTED] = true;
  return out;
}
