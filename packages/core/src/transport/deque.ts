/**
 * A FIFO with O(1) push, shift and unshift (a head index and occasional compaction, as p-queue does). It
 * starts over with a fresh array whenever it empties, so a queue drained every batch stays a small, young
 * array rather than an old one that every push of a new item must record for the garbage collector.
 */
export class Deque<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(value: T): void {
    this.items.push(value);
  }

  pushAll(values: readonly T[]): void {
    for (let i = 0; i < values.length; i++) this.items.push(values[i]);
  }

  /** Puts values back at the front, in order. */
  unshift(...values: T[]): void {
    if (values.length <= this.head) {
      this.head -= values.length;
      for (let i = 0; i < values.length; i++) this.items[this.head + i] = values[i];
    } else {
      this.items = [...values, ...this.items.slice(this.head)];
      this.head = 0;
    }
  }

  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const v = this.items[this.head];
    (this.items as Array<T | undefined>)[this.head] = undefined;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return v;
  }

  /** Calls `fn` on every value, front to back. */
  forEach(fn: (value: T) => void): void {
    for (let i = this.head; i < this.items.length; i++) fn(this.items[i] as T);
  }

  /** Removes the values in `values` (keeping the order of the rest). */
  removeAll(values: ReadonlySet<T>): void {
    this.items = this.items.slice(this.head).filter((v) => !values.has(v));
    this.head = 0;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
