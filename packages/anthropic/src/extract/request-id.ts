/** The Anthropic request id of a call (`request-id` header), for span metadata and support tickets. */
import { META } from "@pandaprobe/core/integration";
import { isObject } from "../shapes.js";

/** `request_id`: the SDK's `_request_id` on a parsed body, else the response's `request-id` header. */
export function requestIdMetadata(data: unknown, props: unknown): Record<string, unknown> | undefined {
  let id = isObject(data) ? data._request_id : undefined;
  if (typeof id !== "string") {
    const headers = isObject(props) && isObject(props.response) ? props.response.headers : undefined;
    id = typeof headers?.get === "function" ? headers.get("request-id") : undefined;
  }
  return typeof id === "string" && id ? { [META.REQUEST_ID]: id } : undefined;
}
