import { once } from "node:events";
import { createServer, type Socket } from "node:net";

/** A request as a raw TCP server parsed it off a keep-alive connection (Content-Length bodies only). */
export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Which connection (0, 1, ... in order of arrival) carried it. */
  conn: number;
  /** Its position on that connection (0 = first request). */
  index: number;
  /** Requests on that connection still unanswered when this one arrived (> 0: pipelined behind them). */
  depth: number;
}

export interface RawServer {
  url: string;
  requests: RawRequest[];
  sockets: Socket[];
  close(): Promise<void>;
}

/** `HTTP/1.1 <status>` with a Content-Length body and optional extra header lines. */
export const httpResponse = (status: number, body = "{}", extra = "") =>
  `HTTP/1.1 ${status} X\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

/** Counts the request as answered and writes `text` (through `write` when given, e.g. to join several answers). */
export type Answer = (text: string, write?: (text: string) => void) => void;

/**
 * A raw `node:net` HTTP/1.1 server that sees exactly what arrives on each connection (pipelined requests
 * included) and answers only through `answer(text)`, which counts the request as answered on its connection.
 */
export async function startRawServer(
  onRequest: (req: RawRequest, answer: Answer, socket: Socket) => void,
): Promise<RawServer> {
  const sockets: Socket[] = [];
  const requests: RawRequest[] = [];
  const server = createServer((socket) => {
    const conn = sockets.push(socket) - 1;
    let unanswered = 0;
    let index = 0;
    socket.on("error", () => {});
    let buf = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        const [line, ...lines] = buf.toString("latin1", 0, end).split("\r\n");
        const headers: Record<string, string> = {};
        for (const l of lines) headers[l.slice(0, l.indexOf(":")).toLowerCase()] = l.slice(l.indexOf(":") + 1).trim();
        const len = Number(headers["content-length"] ?? 0);
        if (buf.length < end + 4 + len) return;
        const [method, path] = line.split(" ");
        const req: RawRequest = {
          method,
          path,
          headers,
          body: buf.subarray(end + 4, end + 4 + len),
          conn,
          index: index++,
          depth: unanswered++,
        };
        buf = buf.subarray(end + 4 + len);
        requests.push(req);
        let done = false;
        onRequest(
          req,
          (text, write) => {
            if (done || socket.destroyed) return;
            done = true;
            unanswered--;
            if (write) write(text);
            else socket.write(text);
          },
          socket,
        );
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sockets,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
