// The plumbing every fake provider shares: a node:http (or cleartext HTTP/2, for the AWS SDK) server on 127.0.0.1 at
// a random port, the request body read whole, a counter of requests per route, and a close that drops kept-alive
// connections. Each fake only decides what to answer.
import http from "node:http";
import http2 from "node:http2";

export function readBody(req) {
  return new Promise((resolve, reject) => {
    const parts = [];
    req.on("data", (c) => parts.push(c));
    req.on("end", () => resolve(Buffer.concat(parts)));
    req.on("error", reject);
  });
}

/** Parses a JSON request body; garbage becomes `{}` (the fakes answer it like a plain request). */
export function parseJson(buf) {
  try {
    return JSON.parse(buf.toString("utf8"));
  } catch {
    return {};
  }
}

export function sendJson(res, status, body, headers = {}) {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(status, { "content-type": "application/json", "content-length": buf.length, ...headers });
  res.end(buf);
}

/**
 * @param {string} name the provider's name, for error messages
 * @param {(req, res, counters) => Promise<boolean|void>} handle answers a request; returns false when it has no
 *   route for it (the fake then answers 404 and counts it under `unexpected`)
 * @param {{h2?: boolean}} [o] h2: serve cleartext HTTP/2 (the Bedrock Runtime client speaks nothing else)
 */
export async function serve(name, handle, { h2 = false } = {}) {
  const counters = { unexpected: 0 };
  const sockets = new Set();
  const onRequest = (req, res) => {
    handle(req, res, counters)
      .then((handled) => {
        if (handled !== false) return;
        counters.unexpected++;
        sendJson(res, 404, { error: { message: `fake-${name}: no route ${req.method} ${req.url}` } });
      })
      .catch((err) => {
        if (res.headersSent) res.destroy(err);
        else sendJson(res, 500, { error: { message: String(err) } });
      });
  };
  const server = h2 ? http2.createServer(onRequest) : http.createServer({ keepAliveTimeout: 60_000 }, onRequest);
  server.on(h2 ? "session" : "connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    counters,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
