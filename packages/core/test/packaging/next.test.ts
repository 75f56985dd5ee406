/**
 * Next.js with the real `next` package: a fixture App Router app (test/packaging/next-app) is built with `next build`
 * and served in this process through Next's programmatic server (`next({ dev: false })`, the request handler
 * `next start` uses), its route handlers loading the built @pandaprobe/core. The freeze is simulated as in
 * test/serverless.test.ts: read the response, await what Next had awaited (the platform's waitUntil, or what
 * `next start` awaits when it closes), then look at the stand-in synchronously.
 */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { AsyncLocalStorage } from "node:async_hooks";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { init, shutdown } from "@pandaprobe/core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStandIn, type StandIn } from "../helpers.js";

/** Next's programmatic server, loaded untyped: its type declarations (React's globals) would join this project's. */
const next = createRequire(import.meta.url)("next") as (options: {
  dev: boolean;
  dir: string;
  hostname: string;
  port: number;
}) => {
  prepare(): Promise<void>;
  getRequestHandler(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  close(): Promise<void>;
};
const pkgDir = fileURLToPath(new URL("../..", import.meta.url));
const appDir = fileURLToPath(new URL("./next-app", import.meta.url));
/** Where platforms (Vercel, Netlify, OpenNext) put the request context Next.js reads its waitUntil from. */
const NEXT_REQUEST_CONTEXT = Symbol.for("@next/request-context");

let standIn: StandIn;

beforeAll(async () => {
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  process.env.PANDAPROBE_CORE_URL = pathToFileURL(`${pkgDir}dist/index.js`).href;
  await promisify(execFile)(process.execPath, [`${pkgDir}node_modules/next/dist/bin/next`, "build", appDir], {
    cwd: pkgDir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
}, 120_000);
beforeEach(async () => {
  standIn = await startStandIn();
  // Batching that would hold a trace for a minute: only a registered delivery (or a flush) sends it sooner.
  init({ ...standIn.clientOptions, flushIntervalMs: 60_000, batchSize: 100 });
});
afterEach(async () => {
  delete (globalThis as Record<symbol, unknown>)[NEXT_REQUEST_CONTEXT];
  await shutdown({ timeoutMs: 100 });
  await standIn.close();
});

/** Next's production server for the fixture, behind `wrap` (what the host runs around each request). */
async function serve(wrap: (handle: () => Promise<void>) => Promise<void>) {
  const app = next({ dev: false, dir: appDir, hostname: "127.0.0.1", port: 0 });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server: Server = createServer((req, res) => void wrap(() => handle(req, res)));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    get: async (path: string) => (await fetch(url + path)).text(),
    close: async () => {
      server.close();
      await app.close();
    },
  };
}

describe("Next.js route handlers (real next)", () => {
  let host: Awaited<ReturnType<typeof serve>> | undefined;
  afterAll(async () => host?.close());

  it("on a platform with a request context (Vercel, Netlify, OpenNext): delivered automatically, no flush in the handler", async () => {
    // The platform's side: a request context whose waitUntil it awaits before freezing the function.
    const requests = new AsyncLocalStorage<{ waitUntil: (p: Promise<unknown>) => void }>();
    (globalThis as Record<symbol, unknown>)[NEXT_REQUEST_CONTEXT] = { get: () => requests.getStore() };
    const registered: Promise<unknown>[] = [];
    host = await serve((handle) => requests.run({ waitUntil: (p) => void registered.push(p) }, handle));
    expect(await host.get("/api/auto")).toBe("ok");
    for (let n = 0; n < registered.length; n = registered.length) await Promise.all(registered);
    expect(standIn.traces().map((t) => t.name)).toEqual(["next-auto"]);
    await host.close();
    host = undefined;
  });

  it("self-hosted with `next start` (no request context): after(() => flush()) delivers it before the server closes", async () => {
    host = await serve((handle) => handle());
    expect(await host.get("/api/after")).toBe("ok");
    // `next start` awaits its after() work when it shuts down, and nothing else of ours.
    await host.close();
    host = undefined;
    expect(standIn.traces().map((t) => t.name)).toEqual(["next-after"]);
  });
});
