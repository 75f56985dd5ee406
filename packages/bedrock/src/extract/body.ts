/**
 * InvokeModel bodies: the request `body` (a string or bytes, as the caller gave it) and the response `body` (the SDK's
 * `Uint8ArrayBlobAdapter`, already in memory), read without consuming or changing anything the caller holds.
 */

const decoder = new TextDecoder();

/** What a body holds, for recording: parsed JSON, text, or a summary of what cannot be read as text. */
export type DecodedBody =
  | { kind: "json"; value: unknown }
  | { kind: "text"; value: string }
  | { kind: "opaque"; value: { content_type?: string; bytes?: number; body?: string } };

/** Decodes `body` under `contentType` (default JSON): JSON and text content types are read, anything else summarised. */
export function decodeBody(body: unknown, contentType: unknown): DecodedBody {
  const type = typeof contentType === "string" ? contentType.toLowerCase() : "application/json";
  const text = bodyText(body);
  const textual = type.includes("json") || type.startsWith("text/");
  if (text === undefined || !textual) {
    const bytes = byteLength(body);
    return {
      kind: "opaque",
      value: { content_type: type, ...(bytes === undefined ? { body: "[stream: not read]" } : { bytes }) },
    };
  }
  if (type.includes("json")) {
    try {
      return { kind: "json", value: JSON.parse(text) as unknown };
    } catch {
      // not JSON after all: kept as text
    }
  }
  return { kind: "text", value: text };
}

/** The text of a string or byte body; undefined for a stream or a `Blob`, which cannot be read without consuming them. */
export function bodyText(body: unknown): string | undefined {
  if (typeof body === "string") return body;
  if (ArrayBuffer.isView(body)) return decoder.decode(body);
  if (body instanceof ArrayBuffer) return decoder.decode(new Uint8Array(body));
  return undefined;
}

function byteLength(body: unknown): number | undefined {
  if (ArrayBuffer.isView(body) || body instanceof ArrayBuffer) return body.byteLength;
  return undefined;
}
