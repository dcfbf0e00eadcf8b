// Many producers, one consumer: the lines of several containers merged into
// one async iterable in arrival order. Bounded, so a slow consumer (a paused
// terminal, a full pipe) pauses the producers instead of growing memory: push
// hands back a promise to await once the queue is full.

export class MergeQueue<T> implements AsyncIterable<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  private wakeConsumer: (() => void) | undefined;
  private spaceWaiters: (() => void)[] = [];
  private closed = false;
  private failed = false;
  private failure: unknown;

  constructor(private readonly highWater = 2048) {}

  get size(): number {
    return this.items.length - this.head;
  }

  /** Adds an item; when the queue is full, a promise that settles once there is room again. */
  push(item: T): Promise<void> | undefined {
    if (this.closed) return undefined;
    this.items.push(item);
    this.wake();
    if (this.size < this.highWater) return undefined;
    return new Promise((resolve) => this.spaceWaiters.push(resolve));
  }

  /** No more items: the consumer ends after the queued ones. */
  close(): void {
    this.closed = true;
    this.wake();
    this.releaseProducers();
  }

  /** Ends the consumer with this error, after the queued items. */
  fail(error: unknown): void {
    if (this.closed) return;
    this.failed = true;
    this.failure = error;
    this.close();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      if (this.head < this.items.length) {
        const item = this.items[this.head] as T;
        this.items[this.head++] = undefined;
        if (this.head >= 4096 && this.head * 2 >= this.items.length) {
          this.items = this.items.slice(this.head);
          this.head = 0;
        }
        if (this.spaceWaiters.length && this.size <= this.highWater / 2) this.releaseProducers();
        yield item;
        continue;
      }
      if (this.failed) throw this.failure;
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
    }
  }

  private wake(): void {
    const wake = this.wakeConsumer;
    this.wakeConsumer = undefined;
    wake?.();
  }

  private releaseProducers(): void {
    const waiters = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const w of waiters) w();
  }
}
