import type { DropReason } from "../types.js";

/** Conversations remembered at most (the least recently seen are forgotten first). */
const MAX_CONVERSATIONS = 10_000;

/** What the queue knows about one conversation (the traces of one session id). */
export interface Conversation {
  /** When its first trace entered the queue: among conversations not being delivered yet, the newest is shed first. */
  readonly order: number;
  /** One of its traces has been sent: its later turns are worth more than a new conversation. */
  sending: boolean;
  /** Shed whole (nothing of it sent): its later routine traces are shed too, under this reason. */
  shed: DropReason | undefined;
}

/**
 * The conversations whose traces went through the queue, for the shedding policy (see `TraceBacklog`). Bounded: the
 * least recently seen are forgotten, so memory stays flat however many sessions an app has.
 */
export class Conversations {
  private readonly map = new Map<string, Conversation>();
  private last = 0;

  /** The order of a trace without a conversation: a conversation of its own. */
  nextOrder(): number {
    return ++this.last;
  }

  /** The conversation of `sessionId`, made the most recently seen (made if new). */
  touch(sessionId: string): Conversation {
    let c = this.map.get(sessionId);
    if (c) this.map.delete(sessionId);
    else c = { order: ++this.last, sending: false, shed: undefined };
    this.map.set(sessionId, c);
    if (this.map.size > MAX_CONVERSATIONS) this.map.delete(this.map.keys().next().value as string);
    return c;
  }

  get(sessionId: string): Conversation | undefined {
    return this.map.get(sessionId);
  }
}
