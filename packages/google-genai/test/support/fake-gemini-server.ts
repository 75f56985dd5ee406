/**
 * A local fake Google Gen AI HTTP server (node:http, 127.0.0.1) for the real `@google/genai` client, in both of its
 * modes: the Gemini API (`/{version}/models/{model}:…`, `x-goog-api-key`) and Vertex AI
 * (`/{version}/projects/{project}/locations/{location}/publishers/google/models/{model}:…`, `Authorization: Bearer`;
 * the API version is the client's: `v1beta`/`v1beta1` up to 2.x, `v1` from 3.x).
 * JSON for `generateContent`, `batchEmbedContents` and `predict`; SSE (`data: {json}\r\n\r\n`, what
 * `streamGenerateContent?alt=sse` sends) for streams; Google's error bodies; scripted failures for the client's
 * own retries; streams that hang or drop mid-way.
 *
 * Behaviour is chosen by the request (so concurrent tests cannot interfere):
 * - function declarations sent and the last content is not a function response → a `get_weather` function call;
 * - model `gemini-think` → a thought part, then the answer; `gemini-blocked` → a blocked prompt (no candidates);
 *   `gemini-hang` → a stream that sends 2 chunks, then waits until the client goes away; `gemini-drop` → 2 chunks,
 *   then the connection is cut; `gemini-error-event` → 1 chunk, then an error object inside the stream;
 * - header `x-fake-fail: <status>x<count>` → the first <count> attempts of that request (`x-fake-id`) fail with <status>;
 * - a user text `echo:<s>` → the answer is `<s>` (concurrency tests tell calls apart by it).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { preciseDelay } from "@pandaprobe/testing";

export const API_KEY = "fake-gemini-key";
export const VERTEX_TOKEN = "fake-vertex-token";
export const PROJECT = "fake-project";
export const LOCATION = "us-central1";

/** What every answer reports, and the core usage it maps to (thoughts counted once, cached content inside the prompt). */
export const USAGE = {
  promptTokenCount: 12,
  cachedContentTokenCount: 4,
  candidatesTokenCount: 5,
  thoughtsTokenCount: 3,
  totalTokenCount: 20,
};
export const EXPECTED_USAGE = {
  prompt_tokens: 12,
  completion_tokens: 8,
  total_tokens: 20,
  reasoning_tokens: 3,
  cache_read_tokens: 4,
};

export interface RecordedRequest {
  method: string;
  path: string;
  mode: "gemini" | "vertex";
  model: string;
  action: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  body: any;
}

export interface FakeGemini {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Resolves when a hanging stream's client has gone away (aborted). */
  waitForHangClosed(): Promise<void>;
  close(): Promise<void>;
}

type Json = any;

const GEMINI_PATH = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):(\w+)$/;
const VERTEX_PATH =
  /^\/v1(?:beta1)?\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/google\/models\/([^/:]+):(\w+)$/;

/** `latencyMs`: pause before answering (a remote API's latency; the benchmark uses it). */
export async function startFakeGemini(options: { latencyMs?: number } = {}): Promise<FakeGemini> {
  const requests: RecordedRequest[] = [];
  const attempts = new Map<string, number>();
  let hangClosed: (() => void)[] = [];

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const g = GEMINI_PATH.exec(url.pathname);
    const v = g ? undefined : VERTEX_PATH.exec(url.pathname);
    if (!g && !v) return sendError(res, 404, "NOT_FOUND", `no route for ${url.pathname}`);
    const mode = g ? "gemini" : "vertex";
    const model = decodeURIComponent(g ? g[1] : v![3]);
    const action = g ? g[2] : v![4];
    let body: Json;
    try {
      body = rawBody ? JSON.parse(rawBody) : {};
    } catch {
      return sendError(res, 400, "INVALID_ARGUMENT", "body is not JSON");
    }
    requests.push({
      method: req.method ?? "",
      path: url.pathname + url.search,
      mode,
      model,
      action,
      headers: req.headers,
      rawBody,
      body,
    });

    // Auth as each mode does it.
    if (mode === "gemini" && req.headers["x-goog-api-key"] !== API_KEY)
      return sendError(res, 403, "PERMISSION_DENIED", "API key not valid");
    if (mode === "vertex") {
      if (req.headers.authorization !== `Bearer ${VERTEX_TOKEN}`)
        return sendError(res, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials");
      if (v![1] !== PROJECT || v![2] !== LOCATION) return sendError(res, 404, "NOT_FOUND", "unknown project");
    }
    const fail = req.headers["x-fake-fail"];
    if (typeof fail === "string") {
      const [status, count] = fail.split("x").map(Number);
      const id = String(req.headers["x-fake-id"] ?? "");
      const n = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, n);
      if (n <= count)
        return sendError(res, status, status === 429 ? "RESOURCE_EXHAUSTED" : "UNAVAILABLE", `fake failure ${n}`);
    }
    if (options.latencyMs) await preciseDelay(options.latencyMs);

    switch (action) {
      case "generateContent":
        return sendJson(res, 200, respond(model, body));
      case "streamGenerateContent":
        if (url.searchParams.get("alt") !== "sse") return sendError(res, 400, "INVALID_ARGUMENT", "alt=sse expected");
        return stream(res, model, body);
      case "batchEmbedContents":
        return sendJson(res, 200, {
          embeddings: (body.requests ?? []).map((_: unknown, i: number) => ({ values: [i, 0.5, 0.25] })),
        });
      case "predict":
        return sendJson(res, 200, {
          predictions: (body.instances ?? []).map((_: unknown, i: number) => ({
            embeddings: { values: [i, 0.5, 0.25, 0.125], statistics: { token_count: 3, truncated: false } },
          })),
          metadata: { billableCharacterCount: 10 },
        });
      default:
        return sendError(res, 404, "NOT_FOUND", `no action ${action}`);
    }
  });

  function sendJson(res: http.ServerResponse, status: number, payload: unknown) {
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      "content-type": "application/json; charset=UTF-8",
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  }

  function sendError(res: http.ServerResponse, code: number, status: string, message: string) {
    sendJson(res, code, { error: { code, message, status } });
  }

  async function stream(res: http.ServerResponse, model: string, body: Json) {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const write = (payload: unknown) =>
      new Promise<void>((resolve) => res.write(`data: ${JSON.stringify(payload)}\r\n\r\n`, () => resolve()));
    const chunks = streamChunks(model, body);
    let sent = 0;
    for (const chunk of chunks) {
      if (res.destroyed) return;
      if (sent === 1 && model === "gemini-error-event") {
        await write({ error: { code: 500, message: "fake stream error", status: "INTERNAL" } });
        return res.end();
      }
      await write(chunk);
      sent++;
      if (sent === 2 && model === "gemini-hang") {
        res.on("close", () => {
          hangClosed.forEach((r) => r());
          hangClosed = [];
        });
        return; // never ends by itself
      }
      if (sent === 2 && model === "gemini-drop") return res.destroy();
      await new Promise((r) => setImmediate(r));
    }
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    waitForHangClosed: () => new Promise<void>((r) => hangClosed.push(r)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The last user text of a request (`echo:` answers are told apart by it). */
function lastUserText(body: Json): string | undefined {
  const contents: Json[] = body.contents ?? [];
  for (let i = contents.length - 1; i >= 0; i--) {
    const c = contents[i];
    if (c.role !== "user" && c.role !== undefined) continue;
    for (const p of c.parts ?? []) if (typeof p.text === "string") return p.text;
    return undefined;
  }
  return undefined;
}

function wantsToolCall(body: Json): boolean {
  const declared = (body.tools ?? []).some((t: Json) => Array.isArray(t.functionDeclarations));
  const last = (body.contents ?? []).at(-1);
  const answered = (last?.parts ?? []).some((p: Json) => p.functionResponse);
  return declared && !answered;
}

function answerText(body: Json): string {
  const text = lastUserText(body);
  return text?.startsWith("echo:") ? text.slice(5) : "It is sunny.";
}

/** The parts of the model's answer. */
function answerParts(model: string, body: Json): Json[] {
  if (wantsToolCall(body)) return [{ functionCall: { id: "call-1", name: "get_weather", args: { city: "Paris" } } }];
  const parts: Json[] = [];
  if (model === "gemini-think") parts.push({ text: "The user wants weather.", thought: true });
  parts.push({ text: answerText(body) });
  return parts;
}

function respond(model: string, body: Json): Json {
  if (model === "gemini-blocked")
    return {
      promptFeedback: { blockReason: "SAFETY" },
      usageMetadata: { promptTokenCount: 12, totalTokenCount: 12 },
      modelVersion: model,
    };
  return {
    candidates: [{ content: { role: "model", parts: answerParts(model, body) }, finishReason: "STOP", index: 0 }],
    usageMetadata: USAGE,
    modelVersion: `${model}-001`,
    responseId: "resp-1",
  };
}

/** The stream: the answer cut into chunks (thoughts first), running usage on each, the total on the last. */
function streamChunks(model: string, body: Json): Json[] {
  const parts = answerParts(model, body);
  const pieces: Json[] = [];
  for (const p of parts) {
    if (typeof p.text === "string" && !p.thought) {
      const words = p.text.match(/\S+\s*/g) ?? [p.text];
      for (const w of words) pieces.push({ text: w });
    } else pieces.push(p);
  }
  if (model === "gemini-hang" || model === "gemini-drop" || model === "gemini-error-event")
    while (pieces.length < 4) pieces.push({ text: "more " });
  return pieces.map((part, i) => {
    const last = i === pieces.length - 1;
    return {
      candidates: [{ content: { role: "model", parts: [part] }, ...(last ? { finishReason: "STOP" } : {}), index: 0 }],
      usageMetadata: last ? USAGE : { promptTokenCount: 12, totalTokenCount: 12 + i + 1 },
      modelVersion: `${model}-001`,
      responseId: "resp-1",
    };
  });
}
