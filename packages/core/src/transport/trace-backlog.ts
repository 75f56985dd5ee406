import type { Conversations } from "./conversations.js";
import { Deque } from "./deque.js";
import type { QueueItem } from "./queue-item.js";

/** What shedding removes: `items` (possibly including the trace that wanted in), and the conversation shed whole. */
export interface Shedding {
  items: QueueItem[];
  conversation: string | undefined;
}

/** A trace's worth when something must go: 0 routine, in a conversation not being delivered yet (or none); 1 a later turn of one being delivered; 2 an error. */
type Worth = 0 | 1 | 2;

/**
 * The traces waiting to be sent (the traces lane's ready queue): errors first, then the rest in arrival order; and,
 * when too many wait (the rate budget's backlog or the queue is full), which to shed:
 * 1. routine traces of conversations none of which is being delivered yet, and traces without a session: a whole
 *    conversation at a time (its waiting traces go together, and later turns follow), the newest conversation first;
 * 2. then routine later turns of conversations already being delivered, newest first;
 * 3. errors last: the trace that wanted in is shed when everything waiting is worth as much as it or more.
 * Choosing scans the waiting traces once (bounded by the backlog).
 */
export class TraceBacklog {
  private readonly errors = new Deque<QueueItem>();
  private readonly routine = new Deque<QueueItem>();

  constructor(private readonly conversations: Conversations) {}

  get length(): number {
    return this.errors.length + this.routine.length;
  }

  push(item: QueueItem): void {
    (item.error ? this.errors : this.routine).push(item);
  }

  pushAll(items: readonly QueueItem[]): void {
    for (const item of items) this.push(item);
  }

  /** Puts items back in front of their kind, in order. */
  unshift(...items: QueueItem[]): void {
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i]!;
      (item.error ? this.errors : this.routine).unshift(item);
    }
  }

  shift(): QueueItem | undefined {
    return this.errors.shift() ?? this.routine.shift();
  }

  clear(): void {
    this.errors.clear();
    this.routine.clear();
  }

  /** Takes `items` out (they were shed). */
  remove(items: readonly QueueItem[]): void {
    const set = new Set(items);
    if (items.some((i) => !i.error)) this.routine.removeAll(set);
    if (items.some((i) => i.error)) this.errors.removeAll(set);
  }

  /**
   * What to shed so that `incoming` (not queued yet; its `order` set) can wait: the waiting traces worth least, when
   * they are worth less than it, else `incoming` itself (with the rest of its conversation when that is shed whole).
   */
  toShed(incoming: QueueItem): Shedding {
    const worth = this.worth(incoming);
    let newest: QueueItem | undefined; // the newest conversation not being delivered yet
    let lastTurn: QueueItem | undefined; // the newest later turn of a conversation being delivered
    this.routine.forEach((item) => {
      if (this.worth(item) === 0) {
        if (!newest || item.order! > newest.order!) newest = item;
      } else lastTurn = item;
    });
    if (worth === 0 && (!newest || newest.order! <= incoming.order!)) return this.wholeConversation(incoming, true);
    if (newest) return this.wholeConversation(newest, false);
    if (worth === 2 && lastTurn) return { items: [lastTurn], conversation: undefined };
    return { items: [incoming], conversation: undefined };
  }

  private worth(item: QueueItem): Worth {
    if (item.error) return 2;
    return item.sessionId !== undefined && this.conversations.get(item.sessionId)?.sending ? 1 : 0;
  }

  /** `item` and the other routine traces waiting from its conversation (`incoming`: `item` is not queued yet). */
  private wholeConversation(item: QueueItem, incoming: boolean): Shedding {
    const sessionId = item.sessionId;
    if (sessionId === undefined) return { items: [item], conversation: undefined };
    const items: QueueItem[] = incoming ? [item] : [];
    this.routine.forEach((i) => {
      if (i.sessionId === sessionId) items.push(i);
    });
    return { items, conversation: sessionId };
  }
}
