/** The OpenAI request id of a call, for span metadata. */
import { META } from "@pandaprobe/core/integration";
import { isObject } from "../shapes.js";

/** `request_id`: the SDK's `_request_id` on parsed JSON, else the response's `x-request-id` header. */
export function requestMetadata(data: unknown, props: unknown): Record<string, unknown> | undefined {
  let id = isObject(data) ? data._request_id : undefined;
  if (typeof id !== "string") {
    const headers = isObject(props) && isObject(props.response) ? props.response.headers : undefined;
    id = typeof headers?.get === "function" ? headers.get("x-request-id") : undefined;
  }
  return typeof id === "string" && id ? { [META.REQUEST_ID]: id } : undefined;
}
