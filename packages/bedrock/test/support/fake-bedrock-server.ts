/**
 * A local fake Amazon Bedrock Runtime for the real `@aws-sdk/client-bedrock-runtime` client: HTTP/2 cleartext on
 * 127.0.0.1 (the client's default handler is `NodeHttp2Handler`), the REST-JSON routes `POST /model/{modelId}/
 * converse | converse-stream | invoke | invoke-with-response-stream`, JSON bodies and binary event streams
 * (`application/vnd.amazon.eventstream`) with Bedrock's real event sequences, its `x-amzn-*` headers (request id,
 * InvokeModel token counts) and error shapes (`x-amzn-errortype` + `{ message }`; stream exceptions as frames).
 * Requests must be SigV4-signed (any credentials are accepted).
 *
 * Behaviour is chosen by the request, so concurrent tests cannot interfere (see fixtures.ts for the replies):
 * - model id containing `fail-<status>x<n>`: the first <n> attempts of that invocation (`amz-sdk-invocation-id`, which
 *   the client's retries share) fail with <status>, as Bedrock words that error;
 * - `-hang`: a stream sends 2 events, then waits until the client goes away (a plain call waits at once);
 * - `-drop`: a stream sends 2 events, then the HTTP/2 stream is reset;
 * - `-stream-error`: a stream sends 2 events, then a `modelStreamErrorException` frame.
 */
import http2 from "node:http2";
import type { AddressInfo, Socket } from "node:net";
import { chunkFrame, eventFrame, exceptionFrame } from "./event-stream.js";
import {
  cachedFamily,
  converseResponse,
  converseStreamEvents,
  familyOf,
  invokeResponse,
  invokeStreamChunks,
  replyFor,
} from "./fixtures.js";
import { preciseDelay } from "@pandaprobe/testing";

export interface RecordedBedrockRequest {
  operation: string;
  modelId: string;
  path: string;
  headers: http2.IncomingHttpHeaders;
  /** The body as sent (text). */
  raw: string;
  /** The body parsed as JSON, when it is JSON. */
  body: any;
}

export interface FakeBedrock {
  /** The client's `endpoint`. */
  endpoint: string;
  requests: RecordedBedrockRequest[];
  /** Resolves when the client of a hanging call has gone away (aborted). */
  waitForHangClosed(): Promise<void>;
  /** Resolves when `n` requests have arrived (since the last reset of `requests`). */
  waitForRequests(n: number): Promise<void>;
  close(): Promise<void>;
}

const ERRORS: Record<number, [string, string]> = {
  400: [
    "ValidationException",
    "Malformed input request: #: required key [messages] not found, please reformat your input and try again.",
  ],
  403: ["AccessDeniedException", "You don't have access to the model with the specified model ID."],
  424: ["ModelErrorException", "The model returned an error."],
  429: ["ThrottlingException", "Too many requests, please wait before trying again."],
  500: ["InternalServerException", "The server encountered an error processing your request."],
  503: ["ServiceUnavailableException", "The service is temporarily unavailable."],
};

let requestSeq = 0;
const requestId = () => `8f0c7b4e-0000-4000-8000-${String(++requestSeq).padStart(12, "0")}`;

/** `latencyMs`: a pause before answering (a remote API's latency; the benchmark uses it). */
export async function startFakeBedrock({ latencyMs = 0 }: { latencyMs?: number } = {}): Promise<FakeBedrock> {
  const requests: RecordedBedrockRequest[] = [];
  const attempts = new Map<string, number>();
  const sessions = new Set<http2.ServerHttp2Session>();
  const sockets = new Set<Socket>();
  let hangClosed: (() => void)[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];

  const server = http2.createServer(async (req, res) => {
    let raw = "";
    for await (const c of req) raw += c;
    const match = /^\/model\/([^/]+)\/([a-z-]+)$/.exec(req.url ?? "");
    if (!match || req.method !== "POST") {
      res.writeHead(404, { "content-type": "application/json", "x-amzn-errortype": "UnknownOperationException" });
      return res.end("{}");
    }
    const modelId = decodeURIComponent(match[1]);
    const operation = match[2];
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    requests.push({ operation, modelId, path: req.url ?? "", headers: req.headers, raw, body });
    for (const w of waiters.splice(0)) {
      if (requests.length >= w.n) w.resolve();
      else waiters.push(w);
    }
    if (latencyMs) await preciseDelay(latencyMs);
    const rid = requestId();

    const auth = req.headers.authorization;
    if (typeof auth !== "string" || !auth.startsWith("AWS4-HMAC-SHA256 Credential=") || !req.headers["x-amz-date"]) {
      return sendError(res, 403, rid);
    }
    const fail = /fail-(\d{3})x(\d+)/.exec(modelId);
    if (fail) {
      const key = String(req.headers["amz-sdk-invocation-id"] ?? modelId);
      const seen = attempts.get(key) ?? 0;
      attempts.set(key, seen + 1);
      if (seen < Number(fail[2])) return sendError(res, Number(fail[1]), rid);
    }
    const hang = async () => {
      if (!res.stream.closed) await new Promise<void>((resolve) => res.stream.once("close", resolve));
      for (const r of hangClosed) r();
      hangClosed = [];
    };
    const family = familyOf(modelId);

    if (operation === "converse" || operation === "invoke") {
      if (modelId.includes("-hang")) return hang();
      if (operation === "converse") return sendJson(res, rid, converseResponse(body));
      // Bedrock reads a body without a JSON content type as JSON too; a text one is answered in text.
      if (String(req.headers["content-type"] ?? "").startsWith("text/")) {
        res.writeHead(200, { "content-type": "text/plain", "x-amzn-requestid": rid });
        return res.end(replyFor(undefined));
      }
      return sendJson(res, rid, invokeResponse(family, body), tokenHeaders(family));
    }
    if (operation !== "converse-stream" && operation !== "invoke-with-response-stream") {
      return sendError(res, 400, rid);
    }
    const frames =
      operation === "converse-stream"
        ? converseStreamEvents(body).map(([type, payload]) => eventFrame(type, payload))
        : invokeStreamChunks(family, body).map(chunkFrame);
    res.writeHead(200, {
      "content-type": "application/vnd.amazon.eventstream",
      "x-amzn-requestid": rid,
      ...(operation === "invoke-with-response-stream" ? { "x-amzn-bedrock-content-type": "application/json" } : {}),
    });
    for (let i = 0; i < frames.length; i++) {
      if (i === 2) {
        if (modelId.includes("-hang")) return hang();
        if (modelId.includes("-drop")) return res.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
        if (modelId.includes("-stream-error")) {
          return res.end(
            exceptionFrame("modelStreamErrorException", {
              message: "The model stream failed.",
              originalStatusCode: 500,
              originalMessage: "upstream model error",
            }),
          );
        }
      }
      res.write(frames[i]);
    }
    res.end();
  });
  server.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    waitForHangClosed: () => new Promise<void>((resolve) => hangClosed.push(resolve)),
    waitForRequests: (n) =>
      new Promise<void>((resolve) => (requests.length >= n ? resolve() : waiters.push({ n, resolve }))),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function sendJson(
  res: http2.Http2ServerResponse,
  rid: string,
  payload: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": rid, ...headers });
  res.end(JSON.stringify(payload));
}

function sendError(res: http2.Http2ServerResponse, status: number, rid: string): void {
  const [type, message] = ERRORS[status] ?? ["InternalServerException", `fake ${status}`];
  res.writeHead(status, {
    "content-type": "application/json",
    "x-amzn-requestid": rid,
    "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
  });
  res.end(JSON.stringify(status === 424 ? { message, originalStatusCode: 500, resourceName: "model" } : { message }));
}

/** InvokeModel's token-count headers (input excludes cache reads and writes, as Converse's `inputTokens`). */
function tokenHeaders(family: string): Record<string, string> {
  if (family === "unknown") return {};
  if (family.endsWith("-embed"))
    return { "x-amzn-bedrock-input-token-count": "5", "x-amzn-bedrock-output-token-count": "0" };
  return {
    "x-amzn-bedrock-input-token-count": "12",
    "x-amzn-bedrock-output-token-count": "7",
    "x-amzn-bedrock-invocation-latency": "50",
    ...(cachedFamily(family)
      ? { "x-amzn-bedrock-cache-read-input-token-count": "4", "x-amzn-bedrock-cache-write-input-token-count": "2" }
      : undefined),
  };
}
