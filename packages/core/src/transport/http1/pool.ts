/** The socket pool of one sender. */
import type { BufferCtor, Open } from "./types.js";
import { Conn, type Job } from "./connection.js";

/** The socket pool of one sender: `max` sockets at most, idle ones LIFO, waiting jobs (batches) FIFO; one job per socket. */
export class Pool {
  size = 0;
  private idle: Conn[] = [];
  private waiting: Job[] = [];
  private timer: { unref?: () => unknown } | undefined;

  constructor(
    readonly B: BufferCtor,
    private readonly open: Open,
    private readonly max: number,
    private readonly idleMs: number,
  ) {}

  submit(job: Job): void {
    if (this.idle.length > 0 || this.size < this.max) this.assign(job, false);
    else this.waiting.push(job);
  }

  private assign(job: Job, fresh: boolean): void {
    let conn = fresh ? undefined : this.idle.pop();
    if (conn) conn.socket.ref();
    else {
      this.size++;
      conn = new Conn(this, this.open);
    }
    conn.start(job);
  }

  release(conn: Conn): void {
    const next = this.waiting.shift();
    if (next) return conn.start(next);
    conn.socket.unref(); // idle sockets never keep the process alive
    conn.idleSince = Date.now();
    this.idle.push(conn);
    if (!this.timer) this.arm(this.idleMs);
  }

  /** Removes `conn` from the pool for good and lets a waiting job take its slot. */
  drop(conn: Conn): void {
    this.remove(conn);
    this.pump();
  }

  private remove(conn: Conn): void {
    if (conn.dead) return;
    conn.dead = true;
    this.size--;
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
    conn.dispose();
  }

  private pump(): void {
    while (this.waiting.length > 0 && this.size < this.max) this.assign(this.waiting.shift()!, true);
  }

  /**
   * Fails the job on `conn`: requests without a response get `err`. A reused socket that failed before any
   * response byte (the server closed it while idle) is retried once, the whole batch, on a fresh one.
   */
  fail(conn: Conn, err: Error): void {
    const job = conn.job;
    conn.job = undefined;
    if (job) job.conn = undefined;
    const retry = job?.reused && !conn.gotBytes && !job.retried && !job.signal.aborted;
    this.remove(conn);
    if (job && retry) {
      job.retried = true;
      job.sequential = job.count > 1; // no pipelining right after a failed connection (RFC 9112 §9.3.2)
      this.waiting.unshift(job);
    } else job?.settle(err);
    this.pump();
  }

  /**
   * The server ended `conn` (`Connection: close`, HTTP/1.0) after some responses of its job: it did not process
   * the rest, which go on a fresh socket one at a time (each socket answers at least one, so this ends).
   */
  moveOn(conn: Conn): void {
    const job = conn.job!;
    conn.job = undefined;
    job.conn = undefined;
    job.sequential = true;
    this.remove(conn);
    this.waiting.unshift(job);
    this.pump();
  }

  onClose(conn: Conn): void {
    if (conn.job) conn.closed();
    else this.drop(conn);
  }

  abort(job: Job): void {
    const conn = job.conn;
    if (conn) {
      conn.job = undefined;
      this.drop(conn);
    } else {
      const i = this.waiting.indexOf(job);
      if (i >= 0) this.waiting.splice(i, 1);
    }
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => this.sweep(), ms);
    this.timer.unref?.();
  }

  private sweep(): void {
    this.timer = undefined;
    const now = Date.now();
    while (this.idle.length > 0 && now - this.idle[0].idleSince >= this.idleMs - 1) this.drop(this.idle[0]);
    if (this.idle.length > 0) this.arm(this.idle[0].idleSince + this.idleMs - now);
  }
}
