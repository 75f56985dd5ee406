/** One keep-alive socket: writes a batch of requests (pipelined), parses the responses incrementally (HTTP/1.1 and 1.0). */
import type { BatchResult, CancelSignal } from "../http-sender.js";
import type { Bytes, Open, Sock } from "./types.js";
import type { Pool } from "./pool.js";

// Parser states.
const HEAD = 0,
  BODY = 1,
  UNTIL_CLOSE = 2,
  CHUNK_SIZE = 3,
  CHUNK_DATA = 4,
  CHUNK_END = 5,
  TRAILERS = 6,
  DONE = 7;
const MAX_HEAD = 64 * 1024;
/** Read coalescing pauses (see `Conn.coalesce`). */
const COALESCE_MIN_MS = 1,
  COALESCE_MAX_MS = 4;
export const aborted = () => new Error("request aborted (timeout or shutdown)");
export const malformed = (what: string) => new Error(`malformed HTTP response: ${what}`);

/**
 * One batch of requests for one socket: their wire bytes (one buffer, request `i` at `[starts[i], starts[i + 1])`),
 * their results, and how to settle them. Written in one write (HTTP/1.1 pipelining) unless `sequential`; the
 * bytes never change, so a resend is byte-exact. It is its own abort listener (no closure per batch).
 */
export class Job {
  conn: Conn | undefined;
  reused = false;
  retried = false;
  done = false;
  /** Responses received so far: `results[0, received)` are final. */
  received = 0;
  /** Requests written on the current socket; `[received, written)` await their responses. */
  written = 0;
  /** One request per write (after a failed or server-closed connection, as RFC 9112 §9.3.2 asks). */
  sequential = false;
  readonly results: BatchResult[];
  constructor(
    readonly pool: Pool,
    readonly wire: Bytes,
    readonly starts: readonly number[],
    readonly count: number,
    /** Which requests are HEAD (their responses have no body); undefined when none is. */
    readonly heads: readonly boolean[] | undefined,
    readonly signal: CancelSignal,
    private readonly settled: (results: BatchResult[]) => void,
  ) {
    this.results = new Array<BatchResult>(count);
  }
  /** Ends the job: requests without a response get `err`. */
  settle(err?: Error): void {
    if (this.done) return;
    this.done = true;
    this.conn = undefined;
    this.signal.removeEventListener("abort", this);
    for (let i = this.received; i < this.count; i++) this.results[i] = err ?? malformed("no response");
    this.settled(this.results);
  }
  handleEvent(): void {
    if (this.done) return;
    this.pool.abort(this);
    this.settle(aborted());
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
  private lastRead = 0;
  private resumeTimer: ReturnType<typeof setTimeout> | undefined;

  readonly socket: Sock;
  private readonly shared: boolean;

  constructor(
    readonly pool: Pool,
    open: Open,
  ) {
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
    this.write(job);
  }

  /** Writes the job's unanswered requests: all in one write, or only the next one when sequential. */
  private write(job: Job): void {
    const from = job.received;
    const to = job.sequential ? from + 1 : job.count;
    job.written = to;
    if (to - from > 2 && this.shared) this.lastRead = performance.now();
    this.socket.write(from === 0 && to === job.count ? job.wire : job.wire.subarray(job.starts[from], job.starts[to]));
  }

  /**
   * Read coalescing, on `onread` sockets only (there `pause()` really stops reading in the kernel): while two or
   * more pipelined responses are due and they come fast (several per read, or under COALESCE_MIN_MS apart), stop
   * reading for about as long as the rest should take at that pace (COALESCE_MIN_MS to COALESCE_MAX_MS), so one
   * wake-up reads several. The timer is ref'd: an outstanding request keeps the process alive, as a read does.
   */
  private coalesce(got: number): void {
    const now = performance.now();
    const gap = now - this.lastRead;
    this.lastRead = now;
    const left = this.job!.written - this.job!.received;
    if (!this.shared || this.resumeTimer || left < 2 || (got < 2 && gap >= COALESCE_MIN_MS)) return;
    this.socket.pause();
    const ms = Math.round(Math.min(COALESCE_MAX_MS, Math.max(COALESCE_MIN_MS, (left * gap) / got))); // whole ms: few timer lists
    this.resumeTimer = setTimeout(this.resumeReads, ms);
  }

  private readonly resumeReads = (): void => {
    this.resumeTimer = undefined;
    if (!this.dead) this.socket.resume();
  };

  /** The pool is done with this socket. */
  dispose(): void {
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    this.resumeTimer = undefined;
    this.socket.destroy();
  }

  /** Called on close: a body read until close completes here; anything else is a failure. */
  closed(): void {
    if (this.state === UNTIL_CLOSE && !this.error) this.complete(false);
    else this.pool.fail(this, this.error ?? new Error(this.closedWhere()));
  }

  private closedWhere(): string {
    const job = this.job;
    if (this.state !== HEAD || this.rest) return "connection closed mid-response";
    if (!job || job.received === 0 || !this.gotBytes) return "connection closed before any response";
    return `connection closed after ${job.received} of ${job.count} responses`;
  }

  private onData(chunk: Bytes): void {
    if (!this.job) return this.pool.drop(this); // unsolicited bytes on an idle socket
    this.gotBytes = true;
    const data = this.rest ? this.pool.B.concat([this.rest, chunk]) : chunk;
    this.rest = undefined;
    try {
      // One read may hold several pipelined responses, or end inside one.
      for (let pos = 0, got = 1; ; got++) {
        pos = this.parse(data, pos);
        if (this.state !== DONE || !this.complete(pos < data.length)) return;
        if (pos >= data.length) return this.coalesce(got);
      }
    } catch (e) {
      this.pool.fail(this, e as Error);
    }
  }

  /** Consumes `data` from `pos`; returns the position after the response when it completes (state DONE). */
  private parse(data: Bytes, pos: number): number {
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
        if (s === BODY && take === this.remaining && this.parts.length === 0)
          this.text = data.toString("utf8", pos, pos + take);
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
    if (
      !line.startsWith("HTTP/1.") ||
      (minor !== 0 && minor !== 1) ||
      line.charCodeAt(8) !== 32 ||
      !(status >= 100 && status <= 999) ||
      !isDigits(line, 9, 12) ||
      (line.length > 12 && line.charCodeAt(12) !== 32)
    )
      throw malformed(`status line ${JSON.stringify(line.slice(0, 80))}`);
    let length = -1,
      chunked = false,
      te = false,
      close = false,
      ka = false;
    let retryAfter: string | null = null;
    for (let p = le < 0 ? head.length : le + 2; p < head.length; ) {
      let e = head.indexOf("\r\n", p);
      if (e < 0) e = head.length;
      const colon = head.indexOf(":", p);
      if (colon <= p || colon > e) throw malformed("header line");
      const n = colon - p;
      if (n === 10 || n === 11 || n === 14 || n === 17) {
        const name = head.slice(p, colon).toLowerCase();
        const value = head.slice(colon + 1, e).trim();
        if (name === "content-length") {
          if (
            !isDigits(value, 0, value.length) ||
            value.length === 0 ||
            value.length > 15 ||
            (length >= 0 && length !== +value)
          )
            throw malformed("content-length");
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
    if (this.job!.heads?.[this.job!.received] || status === 204 || status === 304) this.state = DONE;
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
    let size = 0,
      i = pos;
    for (; i < end; i++) {
      const c = data[i],
        d = c >= 48 && c <= 57 ? c - 48 : (c | 32) >= 97 && (c | 32) <= 102 ? (c | 32) - 87 : -1;
      if (d < 0) break;
      size = size * 16 + d;
    }
    if (i === pos || i - pos > 12 || (i < end && data[i] !== 59 && data[i] !== 32 && data[i] !== 9))
      throw malformed("chunk size");
    this.remaining = size;
    this.state = size === 0 ? TRAILERS : CHUNK_DATA;
  }

  /**
   * A response is complete: records it and decides what the socket does next. True when more pipelined
   * responses are expected on this socket (keep parsing); `extra` means bytes follow this response.
   */
  private complete(extra: boolean): boolean {
    const job = this.job!;
    const parts = this.parts;
    const text =
      parts.length === 0
        ? this.text
        : parts.length === 1
          ? parts[0].toString("utf8")
          : this.pool.B.concat(parts).toString("utf8");
    job.results[job.received++] = { status: this.status, retryAfter: this.retryAfter, text };
    this.parts = parts.length === 0 ? parts : [];
    this.text = "";
    this.rest = undefined;
    this.served++;
    this.state = HEAD;
    const open = this.keepAlive && !this.socket.destroyed && !this.dead;
    if (open && job.received < job.written) return true;
    if (job.received === job.count) {
      this.job = undefined;
      job.settle();
      if (open && !extra) this.pool.release(this);
      else this.pool.drop(this); // bytes beyond the last response are not ours
    } else if (open && !extra && job.received === job.written) {
      this.write(job); // sequential: the next request
    } else {
      this.pool.moveOn(this); // the server ended the connection with requests unanswered
    }
    return false;
  }
}

export function isDigits(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
