import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import { RecordedEvent } from '../envelope';
import { EventHandler, StoreSubscription } from '../event-store';
import { WakeSignal } from '../wake-signal';
import { infrastructureRetry, RetryPolicy, sleep } from '../resilience/retry-policy';

export interface EventStoreDbSubscriptionOptions {
  /** Opens a catch-up subscription to $all after `fromPosition` (with the server-side filter): at start, and again after the stream dropped. */
  open: (fromPosition: number) => AllStreamSubscription;
  fromPosition: number;
  /** To the port's event; undefined = not for this subscriber (system event, filtered out). */
  convert: (resolved: AllStreamResolvedEvent) => RecordedEvent | undefined;
  handler: EventHandler;
  /** Newest matching event in $all after `floor`, or undefined: how caughtUp() learns its target. */
  lastMatchingPositionAfter: (floor: number) => Promise<number | undefined>;
  /** Waits between resubscriptions while the server is away (default the shared infrastructure policy). */
  retryPolicy?: RetryPolicy;
  /** Told each time the stream dropped and is opened again. */
  onResubscribe?: (error: unknown, attempt: number) => void;
}

/** Events buffered from the wire before the stream is paused (backpressure on a slow handler). */
const HIGH_WATER = 256;
const LOW_WATER = 64;

/**
 * Drives a client subscription with the port's semantics: the handler is awaited one event at a
 * time in $all order, a handler error rejects `done`, and stop() waits for the running handler.
 * The client's stream only fills a local queue; the loop below owns delivery, so stopping never
 * depends on how the gRPC stream ends after a cancel.
 *
 * A stream that errors or ends (a server restart, a leader change, a network cut) is not the end:
 * the subscription opens a new one after the last handled position, for ever with back-off, until
 * stop() — so the forwarder, projections and reactors on it carry on once the server is back, and
 * caughtUp() keeps waiting for the events they have not yet seen.
 */
export class EventStoreDbSubscription implements StoreSubscription {
  readonly done: Promise<void>;
  private stopped = false;
  private readonly stopping = new AbortController();
  private source: AllStreamSubscription;
  /** Why the current stream dropped (set by its error or end), until it is replaced. */
  private dropped?: { error: unknown };
  private queue: AllStreamResolvedEvent[] = [];
  /** Every matching event at or before this position has been handled. */
  private handledThrough: number;
  private waiters: { target: number; resolve: () => void }[] = [];
  private readonly wake = new WakeSignal();
  private readonly policy: RetryPolicy;

  constructor(private readonly options: EventStoreDbSubscriptionOptions) {
    this.handledThrough = options.fromPosition;
    this.policy = (options.retryPolicy ?? infrastructureRetry).forEveryFailure();
    this.source = this.attach(options.open(options.fromPosition));
    this.done = this.run().finally(() => this.shutdown());
    // Callers that never look at `done` must not get an unhandled rejection; those who do still see it.
    this.done.catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
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

  /** Listens to one client stream; events of a stream already replaced are ignored. */
  private attach(source: AllStreamSubscription): AllStreamSubscription {
    const current = () => source === this.source;
    source.on('data', (resolved: AllStreamResolvedEvent) => {
      if (!current()) return;
      this.queue.push(resolved);
      if (this.queue.length >= HIGH_WATER) source.pause();
      this.wake.notify();
    });
    // Stays attached for the stream's whole life: an 'error' with no listener would crash the process.
    source.on('error', (error: Error) => {
      if (current()) this.dropped ??= { error };
      this.wake.notify();
    });
    const ended = () => {
      if (current()) this.dropped ??= { error: new Error('EventStoreDB subscription ended unexpectedly') };
      this.wake.notify();
    };
    source.on('end', ended);
    source.on('close', ended);
    return source;
  }

  private async run(): Promise<void> {
    // Deliver asynchronously, so the handler never runs before subscribeToAll has returned.
    await Promise.resolve();
    let nextWait: (() => number) | undefined;
    let attempt = 0;
    while (!this.stopped) {
      const resolved = this.queue.shift();
      if (!resolved) {
        if (this.dropped) {
          // What the dropped stream delivered was handled; the rest comes again from the new one.
          const { error } = this.dropped;
          nextWait ??= this.policy.waits();
          this.options.onResubscribe?.(error, ++attempt);
          if (!(await sleep(nextWait(), this.stopping.signal))) return;
          await this.resubscribe();
          continue;
        }
        await this.wake.wait(1000);
        continue;
      }
      if (this.queue.length <= LOW_WATER && this.source.isPaused()) this.source.resume();
      const event = this.options.convert(resolved);
      // An event from the stream: the outage, if any, is over.
      nextWait = undefined;
      attempt = 0;
      // `<=` also makes the start exclusive whatever the server does with the exact start position.
      if (!event || event.position <= this.handledThrough) continue;
      await this.options.handler(event);
      this.advanceTo(event.position);
    }
  }

  private async resubscribe(): Promise<void> {
    const old = this.source;
    this.queue = [];
    this.dropped = undefined;
    try {
      this.source = this.attach(this.options.open(this.handledThrough));
    } catch (error) {
      // Could not even open one: try again after the next wait.
      this.dropped = { error };
    }
    await old.unsubscribe().catch(() => undefined);
  }

  private async shutdown(): Promise<void> {
    this.stopped = true;
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters = [];
    // Cancels the server-side subscription; a failure to cancel must not replace the real outcome.
    await this.source.unsubscribe().catch(() => undefined);
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
