/**
 * AWS's binary event-stream framing (`application/vnd.amazon.eventstream`), as Bedrock Runtime sends it: each
 * frame is encoded by Smithy's own codec (`@smithy/core/event-streams`, the library AWS's SDKs use), with the
 * headers Bedrock puts on events and exceptions.
 */
import { EventStreamCodec } from "@smithy/core/event-streams";

const codec = new EventStreamCodec(
  (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8"),
  (text: string) => new Uint8Array(Buffer.from(text, "utf8")),
);

const str = (value: string) => ({ type: "string" as const, value });
const json = (body: unknown) => new Uint8Array(Buffer.from(JSON.stringify(body), "utf8"));

/** An event frame (`:message-type: event`), e.g. `contentBlockDelta` or `chunk`, with a JSON payload. */
export function eventFrame(eventType: string, body: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ":event-type": str(eventType),
      ":content-type": str("application/json"),
      ":message-type": str("event"),
    },
    body: json(body),
  });
}

/** An `InvokeModelWithResponseStream` chunk: the model's own JSON, base64-encoded in `bytes` (with Bedrock's padding `p`). */
export function chunkFrame(payload: unknown): Uint8Array {
  const bytes = Buffer.from(JSON.stringify(payload), "utf8").toString("base64");
  return eventFrame("chunk", { bytes, p: "abcdefghij" });
}

/** A modelled exception in the stream (`:message-type: exception`), e.g. `modelStreamErrorException`. */
export function exceptionFrame(exceptionType: string, body: Record<string, unknown>): Uint8Array {
  return codec.encode({
    headers: {
      ":exception-type": str(exceptionType),
      ":content-type": str("application/json"),
      ":message-type": str("exception"),
    },
    body: json(body),
  });
}
