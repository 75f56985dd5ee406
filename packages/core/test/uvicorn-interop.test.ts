/**
 * The lean HTTP sender against a real uvicorn (the backend's server; see uvicorn/uvicorn-peer.ts): pipelined
 * batches, the connection uvicorn closes after an unhandled error, and the client's whole trace path.
 * Skipped, with the reason, where uvicorn cannot be fetched or run (no python3, no dpkg-deb, no archive).
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PandaProbe, startTrace } from "../src/index.js";
import { leanHttpSender } from "../src/transport/lean-http.js";
import type { BatchResult, HttpSender, OutgoingRequest } from "../src/transport/http-sender.js";
import { startUvicorn, uvicornUnavailable, type Uvicorn } from "./uvicorn/uvicorn-peer.js";

const unavailable = await uvicornUnavailable();
if (unavailable) console.warn(`uvicorn interop tests skipped: ${unavailable}`);

type Counts = { paths: Record<string, number>; traces: Record<string, number> };

describe.skipIf(unavailable !== undefined)("lean HTTP sender against uvicorn 0.32 (h11)", () => {
  let server: Uvicorn;
  let connects = 0;
  const realConnect = net.connect;
  beforeAll(async () => {
    server = await startUvicorn();
    // The sender finds `node:net` at run time and calls `connect` on it: count the sockets it opens.
    (net as { connect: unknown }).connect = (...args: unknown[]) => (
      connects++, (realConnect as (...a: unknown[]) => unknown)(...args)
    );
  });
  afterAll(async () => {
    (net as { connect: unknown }).connect = realConnect;
    await server?.close();
  });

  const sender = (): HttpSender & {
    sendBatch(r: readonly OutgoingRequest[], s: AbortSignal): Promise<BatchResult[]>;
  } => {
    const s = leanHttpSender(server.url, 1);
    if (!s?.sendBatch) throw new Error("lean sender unavailable");
    return s as ReturnType<typeof sender>;
  };
  const post = (path: string, body: string): OutgoingRequest => ({
    method: "POST",
    url: server.url + path,
    headers: { "Content-Type": "application/json" },
    body,
  });
  const counts = async (): Promise<Counts> => {
    const [r] = await sender().sendBatch(
      [{ method: "GET", url: `${server.url}/counts`, headers: {}, body: "" }],
      new AbortController().signal,
    );
    if (r instanceof Error) throw r;
    return JSON.parse(r.text) as Counts;
  };

  it("answers a pipelined batch in order on one connection, each request processed once", async () => {
    await counts();
    // ASCII, multi-byte and large bodies; 32 requests is the transport's largest batch.
    const requests = Array.from({ length: 32 }, (_, i) =>
      post(`/traces/${i}`, JSON.stringify({ i, text: (i % 3 ? "x" : "é€😀").repeat(i === 7 ? 200_000 : 40 * i) })),
    );
    const before = connects;
    const results = await sender().sendBatch(requests, new AbortController().signal);
    expect(connects - before).toBe(1);
    results.forEach((r, i) => {
      if (r instanceof Error) throw r;
      expect(r.status).toBe(202);
      expect(JSON.parse(r.text)).toMatchObject({ path: `/traces/${i}`, received: Buffer.byteLength(requests[i].body) });
    });
    const { paths } = await counts();
    expect(Object.keys(paths)).toHaveLength(32);
    expect(new Set(Object.values(paths))).toEqual(new Set([1]));
  });

  it("after an unhandled error closes the connection, resends the rest of the batch once, one at a time", async () => {
    await counts();
    const requests = Array.from({ length: 12 }, (_, i) =>
      post(`/traces/${i}${i === 4 ? "/boom" : ""}`, JSON.stringify({ i })),
    );
    const before = connects;
    const results = await sender().sendBatch(requests, new AbortController().signal);
    expect(results.map((r) => (r instanceof Error ? r.message : r.status))).toEqual([
      202, 202, 202, 202, 500, 202, 202, 202, 202, 202, 202, 202,
    ]);
    expect(connects - before).toBe(2);
    const { paths } = await counts();
    expect(Object.keys(paths)).toHaveLength(12);
    expect(new Set(Object.values(paths))).toEqual(new Set([1]));
  });

  it("delivers every trace of a burst through the client exactly once", async () => {
    await counts();
    const client = new PandaProbe({
      endpoint: server.url,
      apiKey: "sk-test",
      projectName: "interop",
      tracesPerMinute: 0,
      flushInterval: 60,
    });
    const ids: string[] = [];
    for (let i = 0; i < 70; i++) {
      const trace = startTrace(`burst-${i}`, {
        client,
        input: { messages: [{ role: "user", content: `question ${i}` }] },
      });
      ids.push(trace.id);
      trace.end({ output: { messages: [{ role: "assistant", content: "answer" }] } });
    }
    const result = await client.flush();
    expect(result).toMatchObject({ ok: true, dropped: 0, pending: 0 });
    expect(client.stats()).toMatchObject({ sent: 70 });
    const { traces } = await counts();
    expect(Object.keys(traces).sort()).toEqual([...ids].sort());
    expect(new Set(Object.values(traces))).toEqual(new Set([1]));
    await client.shutdown();
  });
});
