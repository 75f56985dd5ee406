/**
 * The senders over real HTTP: node:http(s) with a keep-alive agent to the stand-in, directly and through a local
 * forward proxy (absolute-URI requests for http targets, CONNECT tunnels for https ones), NO_PROXY, a user fetch.
 */
import { readFileSync } from "node:fs";
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { PandaProbe, SDK_VERSION } from "../src/index.js";
import { logger } from "../src/integration/index.js";
import { bypasses, chooseProxy } from "../src/transport/proxy.js";
import { runModule } from "./child-process.js";
import { clientFor, startStandIn, type StandIn } from "./helpers.js";

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));

interface ForwardProxy {
  url: string;
  /** `CONNECT` targets, in order. */
  tunnels: string[];
  /** Request targets of plain (absolute-URI) requests, with their headers. */
  requests: Array<{ url: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** A forward proxy on 127.0.0.1, as a corporate one: CONNECT tunnels, and absolute-URI requests for http targets. */
async function startForwardProxy(): Promise<ForwardProxy> {
  const tunnels: string[] = [];
  const requests: ForwardProxy["requests"] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url ?? "", headers: req.headers });
    const target = new URL(req.url ?? "");
    const headers = { ...req.headers };
    delete headers["proxy-authorization"];
    const upstream = request(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  server.on("connect", (req, socket, head) => {
    tunnels.push(req.url ?? "");
    const [host, port] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host, () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let standIn: StandIn | undefined;
let proxy: ForwardProxy | undefined;
const savedEnv: Record<string, string | undefined> = {};
function setEnv(vars: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (!(k in savedEnv)) savedEnv[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}
afterEach(async () => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    delete savedEnv[k];
  }
  await standIn?.close();
  await proxy?.close();
  standIn = proxy = undefined;
});

function debugLines(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const prev = logger.setSink({ debug: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error() {} });
  logger.setDebug(true);
  return {
    lines,
    restore: () => {
      logger.setDebug(false);
      logger.setSink(prev);
    },
  };
}

describe("the node:http sender", () => {
  it("is chosen on Node, named in the debug log, and delivers to the stand-in with the SDK's headers", async () => {
    standIn = await startStandIn();
    const log = debugLines();
    try {
      const { client } = clientFor(standIn, { debug: true });
      for (let i = 0; i < 12; i++) client.startTrace(`t${i}`).end();
      expect(await client.flush()).toMatchObject({ ok: true, sent: 12 });
      await client.shutdown();
    } finally {
      log.restore();
    }
    expect(log.lines.find((l) => l.includes("sending to"))).toMatch(
      /sending to http:\/\/127\.0\.0\.1:\d+ with node:http, keep-alive agent \(8 sockets\)/,
    );
    const [first] = standIn.requests;
    expect(first!.headers).toMatchObject({
      "x-api-key": standIn.apiKey,
      "x-project-name": standIn.projectName,
      "content-type": "application/json",
      "user-agent": `pandaprobe-typescript/${SDK_VERSION}`,
      connection: "keep-alive",
      "content-length": String(Buffer.byteLength(first!.rawBody)),
    });
    expect(first!.headers["transfer-encoding"]).toBeUndefined();
    expect(await standIn.waitForTraces(12)).toHaveLength(12);
    expect(standIn.schemaErrors()).toEqual([]);
  });

  it("sends a request again on a fresh connection when the server had closed the reused one (after its 500)", async () => {
    standIn = await startStandIn(); // resets the keep-alive connection after a 500, as the real server does
    const { client, errors } = clientFor(standIn, { concurrency: 1 });
    standIn.faults.failNext(1, 500);
    client.startTrace("a").end();
    expect(await client.flush()).toMatchObject({ ok: true, sent: 1 });
    client.startTrace("b").end();
    expect(await client.flush()).toMatchObject({ ok: true, sent: 1 });
    // The reset request was not an outage: no network error was reported.
    expect(errors.filter((e) => e.kind === "network")).toEqual([]);
    expect(standIn.requests.some((r) => r.status === 0)).toBe(true);
    await client.shutdown();
  });

  it("uses the caller's fetch when given one (it wins over proxy settings)", async () => {
    standIn = await startStandIn();
    let calls = 0;
    const log = debugLines();
    try {
      const { client } = clientFor(standIn, {
        proxy: "http://127.0.0.1:9",
        fetch: (input, init) => {
          calls++;
          return fetch(input, init);
        },
      });
      client.startTrace("via-fetch").end();
      expect(await client.flush()).toMatchObject({ ok: true, sent: 1 });
      await client.shutdown();
    } finally {
      log.restore();
    }
    expect(calls).toBe(1);
    expect(log.lines.find((l) => l.includes("sending to"))).toMatch(/with fetch \(from the options\)$/);
  });
});

describe("proxies", () => {
  it("HTTP_PROXY: an http endpoint is reached with absolute-URI requests through the proxy", async () => {
    standIn = await startStandIn();
    proxy = await startForwardProxy();
    setEnv({ HTTP_PROXY: proxy.url, http_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined });
    const { client } = clientFor(standIn);
    for (let i = 0; i < 3; i++) client.startTrace(`p${i}`).end();
    expect(await client.flush()).toMatchObject({ ok: true, sent: 3 });
    await client.shutdown();
    expect(proxy.requests.map((r) => r.url)).toEqual(Array(3).fill(`${standIn.url}/traces`));
    expect(proxy.requests[0]!.headers.host).toBe(new URL(standIn.url).host);
    expect(await standIn.waitForTraces(3)).toHaveLength(3);
  });

  it("NO_PROXY: a listed host is reached directly", async () => {
    standIn = await startStandIn();
    proxy = await startForwardProxy();
    setEnv({ HTTP_PROXY: proxy.url, NO_PROXY: "example.com, 127.0.0.1", no_proxy: undefined, http_proxy: undefined });
    const { client } = clientFor(standIn);
    client.startTrace("direct").end();
    expect(await client.flush()).toMatchObject({ ok: true, sent: 1 });
    await client.shutdown();
    expect(proxy.requests).toEqual([]);
    expect(proxy.tunnels).toEqual([]);
  });

  it("the proxy option (with credentials) wins over the environment; proxy: false ignores it", async () => {
    standIn = await startStandIn();
    proxy = await startForwardProxy();
    setEnv({ HTTP_PROXY: "http://127.0.0.1:9", http_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined });
    const withAuth = proxy.url.replace("http://", "http://agent:s%40cret@");
    const { client } = clientFor(standIn, { proxy: withAuth });
    client.startTrace("authed").end();
    expect(await client.flush()).toMatchObject({ ok: true, sent: 1 });
    await client.shutdown();
    expect(proxy.requests[0]!.headers["proxy-authorization"]).toBe(
      `Basic ${Buffer.from("agent:s@cret").toString("base64")}`,
    );
    const { client: direct } = clientFor(standIn, { proxy: false });
    direct.startTrace("no-proxy").end();
    expect(await direct.flush()).toMatchObject({ ok: true, sent: 1 });
    await direct.shutdown();
    expect(proxy.requests).toHaveLength(1);
  });

  it("HTTPS_PROXY: an https endpoint is reached through a CONNECT tunnel, TLS end to end (child process)", async () => {
    const tls = {
      key: readFileSync(fixture("localhost-key.pem"), "utf8"),
      cert: readFileSync(fixture("localhost-cert.pem"), "utf8"),
    };
    standIn = await startStandIn({ tls });
    proxy = await startForwardProxy();
    const script = `
      import { PandaProbe } from "./src/index.ts";
      const client = new PandaProbe({ flushIntervalMs: 60_000 });
      const results = [];
      for (let i = 0; i < 3; i++) {
        client.startTrace("tls-" + i).end();
        results.push(await client.flush());
      }
      console.log(JSON.stringify(results.map((r) => r.ok && r.sent)));
    `;
    const { code, stdout, stderr } = await runModule(script, {
      tsx: true,
      env: {
        PANDAPROBE_API_KEY: standIn.apiKey,
        PANDAPROBE_PROJECT_NAME: standIn.projectName,
        PANDAPROBE_ENDPOINT: standIn.url,
        HTTPS_PROXY: proxy.url,
        NO_PROXY: "",
        NODE_EXTRA_CA_CERTS: fixture("localhost-cert.pem"),
      },
    });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([1, 1, 1]);
    // One tunnel (one keep-alive connection carried all three), and no plain request through the proxy.
    expect(proxy.tunnels).toEqual([new URL(standIn.url).host]);
    expect(proxy.requests).toEqual([]);
    expect((await standIn.waitForTraces(3)).map((t) => t.name).sort()).toEqual(["tls-0", "tls-1", "tls-2"]);
  });

  it("chooses the proxy by scheme, lower-case first, and honours NO_PROXY entries", () => {
    const https = new URL("https://api.pandaprobe.com");
    const http = new URL("http://127.0.0.1:8000");
    const env = { https_proxy: "http://lower:1", HTTPS_PROXY: "http://upper:2", HTTP_PROXY: "proxy:3128" };
    expect(chooseProxy(https, undefined, env).proxy?.url.host).toBe("lower:1");
    expect(chooseProxy(http, undefined, env).proxy).toMatchObject({ source: "HTTP_PROXY" });
    expect(chooseProxy(http, undefined, env).proxy?.url.href).toBe("http://proxy:3128/");
    expect(chooseProxy(https, false, env).proxy).toBeUndefined();
    expect(chooseProxy(https, undefined, { ...env, NO_PROXY: ".pandaprobe.com" }).proxy).toBeUndefined();
    expect(
      chooseProxy(https, undefined, {
        ...env,
        ALL_PROXY: "socks5://x:1",
        https_proxy: undefined,
        HTTPS_PROXY: undefined,
      }).problem,
    ).toMatch(/socks5/);
    expect(bypasses(https, "*")).toBe(true);
    expect(bypasses(https, "pandaprobe.com")).toBe(true);
    expect(bypasses(https, "*.pandaprobe.com")).toBe(true);
    expect(bypasses(https, "api.pandaprobe.com:443")).toBe(true);
    expect(bypasses(https, "api.pandaprobe.com:8443")).toBe(false);
    expect(bypasses(https, "otherpandaprobe.com,example.org")).toBe(false);
    expect(bypasses(http, "127.0.0.1:8000")).toBe(true);
    expect(bypasses(new URL("http://[::1]:80"), "[::1]")).toBe(true);
    expect(bypasses(new URL("http://[::1]:80"), "::1")).toBe(true);
  });

  it("a proxy that is not an http(s) URL is a configuration problem", () => {
    const client = new PandaProbe({ apiKey: "k", projectName: "p", proxy: "socks5://127.0.0.1:1080" });
    expect(client.enabled).toBe(false);
    expect(client.config.disabledReason).toMatch(/proxy "socks5:\/\/127\.0\.0\.1:1080" is not an http\(s\) URL/);
  });
});
