/** Test helpers: plain-fetch calls against a stand-in. */
import { randomUUID } from "node:crypto";
import type { StandIn } from "../src/server.js";

export interface Answer {
  status: number;
  json: any;
  text: string;
  headers: Headers;
}

export function authHeaders(standIn: StandIn, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "content-type": "application/json",
    "x-api-key": standIn.apiKey,
    "x-project-name": standIn.projectName,
    ...extra,
  };
}

/** Sends one request; `body` is JSON-encoded unless it is a string. */
export async function call(
  standIn: StandIn,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = authHeaders(standIn),
): Promise<Answer> {
  const send = () =>
    fetch(standIn.url + path, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      redirect: "manual",
    });
  // After a 500 the stand-in (like the real server) resets the next request on that keep-alive connection; that
  // request never reached the application, so sending it again is safe (patch.test.ts tests the reset itself).
  const attempt = (left: number): Promise<Response> =>
    send().catch((error: { cause?: { code?: string } }) => {
      if (left > 0 && error.cause?.code === "UND_ERR_SOCKET") return attempt(left - 1);
      throw error;
    });
  const response = await attempt(5);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text, headers: response.headers };
}

export const T0 = "2026-03-01T10:00:00Z";
export const T1 = "2026-03-01T10:00:02.5Z";

export function span(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { span_id: randomUUID(), name: "span", started_at: T0, ...extra };
}

export function trace(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { trace_id: randomUUID(), name: "trace", started_at: T0, ...extra };
}
