import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { PandaProbe } from "../src/index.js";
import { backoffMs, isQuotaRefusal, parseRetryAfter, serverMessage } from "../src/transport/retry.js";

describe("retry policy (pure)", () => {
  it("tells the plan quota's 429 (a detail) from the rate limiter's (an error) and from any other 429", () => {
    expect(
      isQuotaRefusal(
        429,
        JSON.stringify({
          detail: "You've reached the traces limit (100) for your HOBBY plan. Please upgrade to continue.",
        }),
      ),
    ).toBe(true);
    expect(isQuotaRefusal(429, JSON.stringify({ detail: "No active subscription found for this organization." }))).toBe(
      true,
    );
    expect(isQuotaRefusal(429, JSON.stringify({ error: "Rate limit exceeded: 100 per 1 minute" }))).toBe(false);
    expect(isQuotaRefusal(429, JSON.stringify({ detail: "x", error: "y" }))).toBe(false);
    expect(isQuotaRefusal(429, JSON.stringify({ detail: [{ msg: "x" }] }))).toBe(false);
    expect(isQuotaRefusal(429, "<html>Too Many Requests: detail</html>")).toBe(false);
    expect(isQuotaRefusal(429, "")).toBe(false);
    expect(isQuotaRefusal(422, JSON.stringify({ detail: "x" }))).toBe(false);
  });
  it("backs off exponentially with jitter, capped", () => {
    expect(backoffMs(1, 500, 30_000, () => 0)).toBe(250);
    expect(backoffMs(1, 500, 30_000, () => 1)).toBe(500);
    expect(backoffMs(4, 500, 30_000, () => 1)).toBe(4000);
    expect(backoffMs(20, 500, 30_000, () => 1)).toBe(30_000);
  });
  it("parses Retry-After as seconds or an HTTP date, capped; ignores junk", () => {
    const now = Date.parse("2026-11-24T10:00:00Z");
    expect(parseRetryAfter("3", now, 60_000)).toBe(3000);
    expect(parseRetryAfter("0.5", now, 60_000)).toBe(500);
    expect(parseRetryAfter("3600", now, 60_000)).toBe(60_000);
    expect(parseRetryAfter("Tue, 24 Nov 2026 10:00:10 GMT", now, 60_000)).toBe(10_000);
    expect(parseRetryAfter("soon", now, 60_000)).toBeUndefined();
    expect(parseRetryAfter(null, now, 60_000)).toBeUndefined();
  });
  it("reads the server's message from detail, error (rate limiter) and errors (validation)", () => {
    expect(serverMessage('{"detail":"Invalid or revoked API key."}')).toBe("Invalid or revoked API key.");
    expect(serverMessage('{"error":"Rate limit exceeded: 100 per 1 minute"}')).toBe(
      "Rate limit exceeded: 100 per 1 minute",
    );
    expect(serverMessage('{"detail":"Validation error","errors":[{"field":"name","message":"too long"}]}')).toBe(
      "Validation error; name: too long",
    );
    expect(serverMessage("Internal Server Error")).toBe("Internal Server Error");
  });
});

describe("Retry-After over HTTP", () => {
  it("honours a Retry-After sent with a 429 before sending again, and loses nothing", async () => {
    const arrivals: number[] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        arrivals.push(Date.now());
        if (arrivals.length === 1) {
          res.writeHead(429, { "Retry-After": "0.3", "Content-Type": "application/json" });
          res.end('{"error":"Rate limit exceeded: 100 per 1 minute"}');
        } else {
          res.writeHead(202, { "Content-Type": "application/json" });
          res.end('{"trace_id":"x","task_id":"y"}');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    const client = new PandaProbe({
      apiKey: "k",
      projectName: "p",
      endpoint: `http://127.0.0.1:${port}`,
      retryBaseMs: 1,
      retryMaxMs: 60_000,
      tracesPerMinute: 0,
    });
    client.startTrace("t").end();
    const res = await client.flush({ timeoutMs: 5000 });
    await client.shutdown();
    await new Promise((r) => server.close(r));
    expect(res).toMatchObject({ ok: true, sent: 1, failed: 0, dropped: 0 });
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1] - arrivals[0]).toBeGreaterThanOrEqual(280);
  });
});
