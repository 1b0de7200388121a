import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import { RecordedEvent } from '../envelope';
import { EventHandler, StoreSubscription } from '../event-store';
import { WakeSignal } from '../sqlite/open-sqlite-database';

export interface EventStoreDbSubscriptionOptions {
  /** A catch-up subscription to $all, already opened after fromPosition with the server-side filter. */
  source: AllStreamSubscription;
  fromPosition: number;
  /** To the port's event; undefined = not for this subscriber (system event, filtered out). */
  convert: (resolved: AllStreamResolvedEvent) => RecordedEvent | undefined;
  handler: EventHandler;
  /** Newest matching event in $all after `floor`, or undefined: how caughtUp() learns its target. */
  lastMatchingPositionAfter: (floor: number) => Promise<number | undefined>;
}

/** Events buffered from the wire before the stream is paused (backpressure on a slow handler). */
const HIGH_WATER = 256;
const LOW_WATER = 64;

/**
 * Drives a client subscription with the port's semantics: the handler is awaited one event at a
 * time in $all order, a handler or server error rejects `done`, and stop() waits for the running
 * handler. The client's stream only fills a local queue; the loop below owns delivery, so stopping
 * never depends on how the gRPC stream ends after a cancel.
 */
export class EventStoreDbSubscription implements StoreSubscription {
  readonly done: Promise<void>;
  private stopped = false;
  private ended = false;
  private failure?: { error: unknown };
  private readonly queue: AllStreamResolvedEvent[] = [];
  /** Every matching event at or before this position has been handled. */
  private handledThrough: number;
  private waiters: { target: number; resolve: () => void }[] = [];
  private readonly wake = new WakeSignal();

  constructor(private readonly options: EventStoreDbSubscriptionOptions) {
    this.handledThrough = options.fromPosition;
    const { source } = options;
    source.on('data', (resolved: AllStreamResolvedEvent) => {
      this.queue.push(resolved);
      if (this.queue.length >= HIGH_WATER) source.pause();
      this.wake.notify();
    });
    // Stays attached for the subscription's whole life: an 'error' with no listener would crash the process.
    source.on('error', (error: Error) => {
      this.failure ??= { error };
      this.wake.notify();
    });
    source.on('end', () => this.markEnded());
    source.on('close', () => this.markEnded());
    this.done = this.run().finally(() => this.shutdown());
    // Callers that never look at `done` must not get an unhandled rejection; those who do still see it.
    this.done.catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake.notify();
    await this.done.catch(() => undefined);
  }

  /**
   * The target is the newest *matching* event in $all as of this call (read backwards, stopping at
   * what is already handled): non-matching events are never delivered, so waiting for the raw head
   * of $all could wait forever.
   */
  async caughtUp(): Promise<void> {
    if (this.stopped) return;
    const target = await this.options.lastMatchingPositionAfter(this.handledThrough);
    if (target === undefined || this.handledThrough >= target || this.stopped) return;
    await new Promise<void>((resolve) => this.waiters.push({ target, resolve }));
  }

  private async run(): Promise<void> {
    // Deliver asynchronously, so the handler never runs before subscribeToAll has returned.
    await Promise.resolve();
    while (!this.stopped) {
      if (this.failure) throw this.failure.error;
      const resolved = this.queue.shift();
      if (!resolved) {
        if (this.ended) throw new Error('EventStoreDB subscription ended unexpectedly');
        await this.wake.wait(1000);
        continue;
      }
      if (this.queue.length <= LOW_WATER && this.options.source.isPaused()) this.options.source.resume();
      const event = this.options.convert(resolved);
      // `<=` also makes the start exclusive whatever the server does with the exact start position.
      if (!event || event.position <= this.handledThrough) continue;
      await this.options.handler(event);
      this.advanceTo(event.position);
    }
  }

  private markEnded(): void {
    this.ended = true;
    this.wake.notify();
  }

  private async shutdown(): Promise<void> {
    this.stopped = true;
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters = [];
    // Cancels the server-side subscription; a failure to cancel must not replace the real outcome.
    await this.options.source.unsubscribe().catch(() => undefined);
  }

  private advanceTo(position: number): void {
    this.handledThrough = position;
    if (!this.waiters.length) return;
    const remaining: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (waiter.target <= position) waiter.resolve();
      else remaining.push(waiter);
    }
    this.waiters = remaining;
  }
}
