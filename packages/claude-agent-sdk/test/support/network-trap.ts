/**
 * An HTTP proxy that lets nothing through and records what tried: the CLI runs with `HTTPS_PROXY` / `HTTP_PROXY`
 * pointing here (and `NO_PROXY` for 127.0.0.1, the fake API), so any request it makes to the internet (telemetry,
 * update checks, feature flags) is caught here instead of leaving the machine. Tests assert that it saw nothing.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface NetworkTrap {
  url: string;
  /** `CONNECT host:443` / `GET http://...` lines, in order. */
  seen: string[];
  close(): Promise<void>;
}

export async function startNetworkTrap(): Promise<NetworkTrap> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(502);
    res.end();
  });
  server.on("connect", (req, socket) => {
    seen.push(`CONNECT ${req.url}`);
    socket.on("error", () => {});
    socket.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
