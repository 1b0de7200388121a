import { RecordedEvent } from '../envelope';
import { EventHandler, StoreSubscription } from '../event-store';
import { EventLoopShare } from '../event-loop-share';
import { WakeSignal } from '../wake-signal';

/** What a catch-up subscription needs from a store that can only be polled. */
export interface PolledEventSource {
  /** Position of the last committed event (0 when empty). */
  head(): number;
  /** Matching events with afterPosition < position <= upToPosition, in order, at most `limit`. */
  read(afterPosition: number, upToPosition: number, limit: number): RecordedEvent[];
  /** Calls listener with the new head after every in-process append; returns the unsubscribe function. */
  onAppend(listener: (head: number) => void): () => void;
  pollIntervalMs: number;
  batchSize: number;
}

/**
 * Catch-up then live subscription: reads in bounded batches, awaits the handler one event at a
 * time, and waits for an in-process append notification or the poll interval (which is how
 * appends made by another process on the same file are seen).
 */
export class PollingSubscription implements StoreSubscription {
  readonly done: Promise<void>;
  private stopped = false;
  /** Every matching event at or before this position has been handled. */
  private handledThrough: number;
  private waiters: { target: number; resolve: () => void }[] = [];
  private readonly wake = new WakeSignal();
  /** A catch-up of many events hands the thread over between them (HTTP requests, timers). */
  private readonly share = new EventLoopShare();
  /** The newest head this subscription knows of: announced by an in-process append, or read from the store. */
  private knownHead = 0;
  /**
   * Ask the store for its head on the next turn: at the start, after a poll interval without an
   * announced append, and when caughtUp() is asked, because only the store sees appends made by
   * another process on the same file. Otherwise the announced head is enough, and saves a query per
   * append for every subscription.
   */
  private askHead = true;

  constructor(
    private readonly source: PolledEventSource,
    fromPosition: number,
    private readonly handler: EventHandler,
  ) {
    this.handledThrough = fromPosition;
    const unsubscribe = source.onAppend((head) => {
      this.knownHead = Math.max(this.knownHead, head);
      this.wake.notify();
    });
    this.done = this.run().finally(() => {
      unsubscribe();
      this.stopped = true;
      this.releaseWaiters(() => true);
    });
    // Callers that never look at `done` must not get an unhandled rejection; those who do still see it.
    this.done.catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake.notify();
    await this.done.catch(() => undefined);
  }

  caughtUp(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const target = this.source.head();
    if (this.handledThrough >= target) return Promise.resolve();
    // Another process may have appended: read now instead of waiting for the next poll.
    this.askHead = true;
    this.wake.notify();
    return new Promise((resolve) => this.waiters.push({ target, resolve }));
  }

  private async run(): Promise<void> {
    // Deliver asynchronously, so the handler never runs before subscribeToAll has returned.
    await Promise.resolve();
    while (!this.stopped) {
      if (this.askHead) this.knownHead = Math.max(this.knownHead, this.source.head());
      this.askHead = false;
      const head = this.knownHead;
      if (head <= this.handledThrough) {
        const announced = await this.wake.wait(this.source.pollIntervalMs);
        this.share.rested();
        if (!announced) this.askHead = true;
        continue;
      }
      const batch = this.source.read(this.handledThrough, head, this.source.batchSize);
      for (const event of batch) {
        if (this.stopped) return;
        await this.handler(event);
        this.advanceTo(event.position);
        await this.share.handOverIfDue();
      }
      // A short batch means nothing else matched up to head.
      if (batch.length < this.source.batchSize && !this.stopped) this.advanceTo(head);
    }
  }

  private advanceTo(position: number): void {
    this.handledThrough = position;
    if (this.waiters.length) this.releaseWaiters((target) => target <= position);
  }

  private releaseWaiters(isDone: (target: number) => boolean): void {
    const remaining: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (isDone(waiter.target)) waiter.resolve();
      else remaining.push(waiter);
    }
    this.waiters = remaining;
  }
}
