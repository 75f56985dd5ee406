/** One keep-alive socket: writes a request, parses the response incrementally (HTTP/1.1 and 1.0). */
import type { HttpResponse } from "../http-sender.js";
import type { Bytes, Open, Sock } from "./types.js";
import type { Pool } from "./pool.js";

// Parser states.
const HEAD = 0, BODY = 1, UNTIL_CLOSE = 2, CHUNK_SIZE = 3, CHUNK_DATA = 4, CHUNK_END = 5, TRAILERS = 6, DONE = 7;
const MAX_HEAD = 64 * 1024;
export const aborted = () => new Error("request aborted (timeout or shutdown)");
export const malformed = (what: string) => new Error(`malformed HTTP response: ${what}`);

/** One request: its wire bytes and how to settle it. It is its own abort listener (no closure per request). */
export class Job {
  conn: Conn | undefined;
  reused = false;
  retried = false;
  done = false;
  constructor(
    readonly pool: Pool, readonly wire: string | Bytes, readonly ascii: boolean, readonly head: boolean, readonly signal: AbortSignal,
    private readonly ok: (r: HttpResponse) => void, private readonly ko: (e: Error) => void,
  ) {}
  settle(res: HttpResponse | undefined, err?: Error): void {
    if (this.done) return;
    this.done = true;
    this.conn = undefined;
    this.signal.removeEventListener("abort", this);
    if (res) this.ok(res);
    else this.ko(err!);
  }
  handleEvent(): void {
    if (this.done) return;
    this.pool.abort(this);
    this.settle(undefined, aborted());
  }
}

/** One socket and the state of the response being read on it. */
export class Conn {
  job: Job | undefined;
  dead = false;
  served = 0;
  idleSince = 0;
  gotBytes = false;
  error: Error | undefined;
  private state = HEAD;
  private rest: Bytes | undefined;
  private status = 0;
  private retryAfter: string | null = null;
  private keepAlive = true;
  private remaining = 0;
  private parts: Bytes[] = [];
  private text = "";

  readonly socket: Sock;
  private readonly shared: boolean;

  constructor(readonly pool: Pool, open: Open) {
    ({ socket: this.socket, shared: this.shared } = open((chunk) => this.onData(chunk)));
    this.socket.setNoDelay(true);
    this.socket.on("error", (e: Error) => void (this.error ??= e));
    this.socket.on("close", () => pool.onClose(this));
  }

  /** Bytes kept past this read: copied when they live in the shared read buffer. */
  private keep(bytes: Bytes): Bytes {
    return this.shared ? this.pool.B.concat([bytes]) : bytes;
  }

  start(job: Job): void {
    this.job = job;
    job.conn = this;
    job.reused = this.served > 0;
    this.gotBytes = false;
    this.state = HEAD;
    this.socket.write(job.wire, job.ascii ? "latin1" : "utf8"); // latin1 is a plain copy for one-byte strings
  }

  /** Called on close: a body read until close completes here; anything else is a failure. */
  closed(): void {
    if (this.state === UNTIL_CLOSE && !this.error) this.finish();
    else this.pool.fail(this, this.error ?? new Error(this.gotBytes ? "connection closed mid-response" : "connection closed before any response"));
  }

  private onData(chunk: Bytes): void {
    if (!this.job) return this.pool.drop(this); // unsolicited bytes on an idle socket
    this.gotBytes = true;
    const data = this.rest ? this.pool.B.concat([this.rest, chunk]) : chunk;
    this.rest = undefined;
    try {
      const pos = this.parse(data);
      if (this.state !== DONE) return;
      if (pos < data.length) this.keepAlive = false; // bytes after the response: no pipelining, so not ours
      this.finish();
    } catch (e) {
      this.pool.fail(this, e as Error);
    }
  }

  /** Consumes `data`; returns the position after the response when it completes (state DONE). */
  private parse(data: Bytes): number {
    let pos = 0;
    while (this.state !== DONE) {
      const avail = data.length - pos;
      const s = this.state;
      if (s === HEAD || s === CHUNK_SIZE || s === TRAILERS) {
        const end = data.indexOf(s === HEAD ? "\r\n\r\n" : "\r\n", pos, "latin1");
        if (end < 0) {
          if (avail > (s === HEAD ? MAX_HEAD : 4096)) throw malformed("header section too large");
          if (avail > 0) this.rest = this.keep(data.subarray(pos));
          return data.length;
        }
        if (s === HEAD) this.onHead(data.toString("latin1", pos, end));
        else if (s === CHUNK_SIZE) this.onChunkSize(data, pos, end);
        else if (end === pos) this.state = DONE; // empty line ends the trailers; other trailer lines are skipped
        pos = end + (s === HEAD ? 4 : 2);
      } else if (avail === 0) {
        return pos;
      } else if (s === CHUNK_END) {
        if (avail < 2) {
          this.rest = this.keep(data.subarray(pos));
          return data.length;
        }
        if (data[pos] !== 13 || data[pos + 1] !== 10) throw malformed("chunk not followed by CRLF");
        pos += 2;
        this.state = CHUNK_SIZE;
      } else if (s === UNTIL_CLOSE) {
        this.parts.push(this.keep(data.subarray(pos)));
        return data.length;
      } else {
        const take = Math.min(avail, this.remaining);
        if (s === BODY && take === this.remaining && this.parts.length === 0) this.text = data.toString("utf8", pos, pos + take);
        else this.parts.push(this.keep(data.subarray(pos, pos + take)));
        pos += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = s === BODY ? DONE : CHUNK_END;
      }
    }
    return pos;
  }

  private onHead(head: string): void {
    const le = head.indexOf("\r\n");
    const line = le < 0 ? head : head.slice(0, le);
    const minor = line.charCodeAt(7) - 48;
    const status = (line.charCodeAt(9) - 48) * 100 + (line.charCodeAt(10) - 48) * 10 + (line.charCodeAt(11) - 48);
    if (!line.startsWith("HTTP/1.") || (minor !== 0 && minor !== 1) || line.charCodeAt(8) !== 32 || !(status >= 100 && status <= 999) ||
      !isDigits(line, 9, 12) || (line.length > 12 && line.charCodeAt(12) !== 32)) throw malformed(`status line ${JSON.stringify(line.slice(0, 80))}`);
    let length = -1, chunked = false, te = false, close = false, ka = false;
    let retryAfter: string | null = null;
    for (let p = le < 0 ? head.length : le + 2; p < head.length;) {
      let e = head.indexOf("\r\n", p);
      if (e < 0) e = head.length;
      const colon = head.indexOf(":", p);
      if (colon <= p || colon > e) throw malformed("header line");
      const n = colon - p;
      if (n === 10 || n === 11 || n === 14 || n === 17) {
        const name = head.slice(p, colon).toLowerCase();
        const value = head.slice(colon + 1, e).trim();
        if (name === "content-length") {
          if (!isDigits(value, 0, value.length) || value.length === 0 || value.length > 15 || (length >= 0 && length !== +value)) throw malformed("content-length");
          length = +value;
        } else if (name === "transfer-encoding") {
          te = true;
          chunked = value.toLowerCase().endsWith("chunked");
        } else if (name === "connection") {
          const v = value.toLowerCase();
          close ||= v.includes("close");
          ka ||= v.includes("keep-alive");
        } else if (name === "retry-after") retryAfter ??= value;
      }
      p = e + 2;
    }
    if (status < 200) {
      if (status === 101) throw malformed("unexpected 101 Switching Protocols");
      return; // 1xx informational: skip, the final response follows
    }
    this.status = status;
    this.retryAfter = retryAfter;
    this.keepAlive = !close && (minor === 1 || ka);
    if (this.job!.head || status === 204 || status === 304) this.state = DONE;
    else if (te) {
      this.state = chunked ? CHUNK_SIZE : UNTIL_CLOSE;
      if (!chunked || length >= 0) this.keepAlive = false;
    } else if (length >= 0) {
      this.remaining = length;
      this.state = length === 0 ? DONE : BODY;
    } else {
      this.state = UNTIL_CLOSE;
      this.keepAlive = false;
    }
  }

  private onChunkSize(data: Bytes, pos: number, end: number): void {
    let size = 0, i = pos;
    for (; i < end; i++) {
      const c = data[i], d = c >= 48 && c <= 57 ? c - 48 : (c | 32) >= 97 && (c | 32) <= 102 ? (c | 32) - 87 : -1;
      if (d < 0) break;
      size = size * 16 + d;
    }
    if (i === pos || i - pos > 12 || (i < end && data[i] !== 59 && data[i] !== 32 && data[i] !== 9)) throw malformed("chunk size");
    this.remaining = size;
    this.state = size === 0 ? TRAILERS : CHUNK_DATA;
  }

  private finish(): void {
    const job = this.job!;
    const parts = this.parts;
    const text = parts.length === 0 ? this.text : parts.length === 1 ? parts[0].toString("utf8") : this.pool.B.concat(parts).toString("utf8");
    const res: HttpResponse = { status: this.status, retryAfter: this.retryAfter, text };
    this.job = undefined;
    this.parts = parts.length === 0 ? parts : [];
    this.text = "";
    this.rest = undefined;
    this.served++;
    this.state = HEAD;
    job.settle(res);
    if (this.keepAlive && !this.socket.destroyed && !this.dead) this.pool.release(this);
    else this.pool.drop(this);
  }
}

export function isDigits(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

